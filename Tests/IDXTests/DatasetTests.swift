// Tests of Dataset: loading the real MNIST directory and small in-memory directories.
import Foundation
import Testing
@testable import IDX

@Suite struct DatasetTests {
    @Test(.enabled(if: Fixtures.mnistAvailable, Fixtures.mnistMissing))
    func load_readsRealMNISTWithPublishedCountsAndMean() throws {
        let dataset = try Dataset.load(directory: Fixtures.mnistDirectory, name: "mnist")
        #expect(dataset.name == "mnist")
        #expect(dataset.train.count == 60_000)
        #expect(dataset.test.count == 10_000)
        #expect(dataset.train.rows == 28 && dataset.train.columns == 28)
        #expect(dataset.test.rows == 28 && dataset.test.columns == 28)
        #expect(dataset.train.pixels.count == 60_000 * 784)
        #expect(dataset.train.labelCounts() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        #expect(dataset.test.labelCounts().reduce(0, +) == 10_000)
        let sum = dataset.train.pixels.reduce(0) { $0 + Int($1) }
        let mean = Double(sum) / Double(dataset.train.pixels.count)
        #expect(abs(mean - 33.318) < 0.0005)
        // The first training image is a 5, the first test image a 7 (the files' well-known first items).
        #expect(dataset.train.labels[0] == 5)
        #expect(dataset.test.labels[0] == 7)
    }

    @Test func load_readsRawAndGzippedFilesAlike() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let images = Fixtures.idx(.ubyte, [3, 2, 2], payload: Array(0..<12))
        let labels = Fixtures.idx(.ubyte, [3], payload: [9, 0, 4])
        try Data(images).write(to: URL(fileURLWithPath: directory + "/train-images-idx3-ubyte"))
        try Data(Fixtures.gzip(labels)).write(to: URL(fileURLWithPath: directory + "/train-labels-idx1-ubyte.gz"))
        try Data(Fixtures.gzip(images)).write(to: URL(fileURLWithPath: directory + "/t10k-images-idx3-ubyte.gz"))
        try Data(labels).write(to: URL(fileURLWithPath: directory + "/t10k-labels-idx1-ubyte"))
        let dataset = try Dataset.load(directory: directory, name: "tiny")
        #expect(dataset.train.pixels == Array(0..<12))
        #expect(dataset.test.pixels == Array(0..<12))
        #expect(dataset.train.labels == [9, 0, 4])
        #expect(dataset.test.labels == [9, 0, 4])
        #expect(dataset.train.count == 3 && dataset.train.rows == 2 && dataset.train.columns == 2)
    }

    @Test func load_namesTheMissingFile() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: IDXError.missingFile(directory: directory, candidates: [
            directory + "/train-images-idx3-ubyte", directory + "/train-images-idx3-ubyte.gz",
        ])) { try Dataset.load(directory: directory, name: "empty") }
        #expect(!Dataset.isComplete(directory: directory))
    }
}
