// Tests of DatasetCatalog: finding "mnist" at the data directory's root or in a subfolder, other named
// datasets, the system's Fashion-MNIST, and refusing names that could leave the data directory.
import Foundation
import Testing
@testable import IDX

@Suite struct DatasetCatalogTests {
    /// Writes a tiny complete dataset (2 images of 2×2, labels `label`) into `directory`.
    private func writeDataset(_ directory: String, label: UInt8, gzipped: Bool = false) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let images = Fixtures.idx(.ubyte, [2, 2, 2], payload: Array(0..<8))
        let labels = Fixtures.idx(.ubyte, [2], payload: [label, label])
        for (name, bytes) in zip(Dataset.allFileNames, [images, labels, images, labels]) {
            let path = directory + "/" + name + (gzipped ? ".gz" : "")
            try Data(gzipped ? Fixtures.gzip(bytes) : bytes).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test func names_listMNISTFirstThenSubfoldersThenSystemDatasets() throws {
        let root = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try writeDataset(root, label: 1)
        try writeDataset(root + "/zeta", label: 2, gzipped: true)
        try writeDataset(root + "/alpha", label: 3)
        try FileManager.default.createDirectory(atPath: root + "/incomplete", withIntermediateDirectories: true)
        try writeDataset(root + "/system-fashion", label: 4)
        let catalog = DatasetCatalog(dataDirectory: root, extraDirectories: ["fashion-mnist": [root + "/system-fashion", "/nonexistent"]])
        #expect(catalog.names() == ["mnist", "alpha", "system-fashion", "zeta", "fashion-mnist"])
        #expect(try catalog.load(name: "mnist").train.labels == [1, 1])
        #expect(try catalog.load(name: "zeta").test.labels == [2, 2])
        #expect(try catalog.load(name: "fashion-mnist").train.labels == [4, 4])
    }

    @Test func load_findsMNISTInItsOwnSubfolder() throws {
        let root = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try writeDataset(root + "/mnist", label: 5, gzipped: true)
        let catalog = DatasetCatalog(dataDirectory: root, extraDirectories: [:])
        #expect(catalog.names() == ["mnist"])
        #expect(try catalog.load(name: "mnist").name == "mnist")
        #expect(try catalog.load(name: "mnist").train.labels == [5, 5])
    }

    @Test func load_reportsWhereItSearched() throws {
        let root = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let catalog = DatasetCatalog(dataDirectory: root, extraDirectories: [:])
        #expect(catalog.names() == [])
        #expect(throws: IDXError.datasetNotFound(name: "mnist", searched: [root, root + "/mnist"])) {
            try catalog.load(name: "mnist")
        }
        #expect(throws: IDXError.datasetNotFound(name: "kmnist", searched: [root + "/kmnist"])) {
            try catalog.load(name: "kmnist")
        }
    }

    @Test func load_refusesNamesThatLeaveTheDataDirectory() {
        let catalog = DatasetCatalog(dataDirectory: "/tmp", extraDirectories: [:])
        for name in ["", "..", "../etc", "a/b", ".hidden"] {
            #expect(throws: IDXError.invalidDatasetName(name: name)) { try catalog.load(name: name) }
        }
    }

    @Test(.enabled(if: Fixtures.mnistAvailable, Fixtures.mnistMissing))
    func load_treatsTheSharedMNISTDirectoryAsTheDefaultDataset() throws {
        let catalog = DatasetCatalog(dataDirectory: Fixtures.mnistDirectory, extraDirectories: [:])
        #expect(catalog.names() == ["mnist"])
        #expect(try catalog.load(name: "mnist").test.count == 10_000)
    }

    @Test(.enabled(if: Dataset.isComplete(directory: "/usr/share/datasets/fashion-mnist"),
                   "Fashion-MNIST not installed (apt-get install -y dataset-fashion-mnist)"))
    func load_readsTheSystemFashionMNIST() throws {
        let empty = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let catalog = DatasetCatalog(dataDirectory: empty)
        #expect(catalog.names() == ["fashion-mnist"])
        let fashion = try catalog.load(name: "fashion-mnist")
        #expect(fashion.name == "fashion-mnist")
        #expect(fashion.train.count == 60_000 && fashion.test.count == 10_000)
        #expect(fashion.train.rows == 28 && fashion.train.columns == 28)
        // Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
        #expect(fashion.train.labelCounts() == Array(repeating: 6_000, count: 10))
        #expect(fashion.test.labelCounts() == Array(repeating: 1_000, count: 10))
    }
}
