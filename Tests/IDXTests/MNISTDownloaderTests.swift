// Tests of MNISTDownloader: copying and verifying from a local directory, rejecting corrupted copies
// without leaving files behind, repairing damaged files, and the offline instructions.
import Foundation
import Testing
@testable import IDX

@Suite(.enabled(if: Fixtures.mnistAvailable, Fixtures.mnistMissing))
struct MNISTDownloaderTests {
    private let files = MNISTDownloader.files.map(\.name)

    /// A source directory linking the real files, with `name` replaced by `bytes` when given.
    private func source(replacing name: String? = nil, with bytes: [UInt8] = []) throws -> String {
        let directory = Fixtures.temporaryDirectory()
        for file in files {
            if file == name {
                try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + file))
            } else {
                try FileManager.default.createSymbolicLink(atPath: directory + "/" + file, withDestinationPath: Fixtures.mnistDirectory + "/" + file)
            }
        }
        return directory
    }

    private static func remove(_ directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func listing(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    @Test func fetch_copiesAndVerifiesFromALocalDirectory() throws {
        let root = Fixtures.temporaryDirectory()
        defer { Self.remove(root) }
        let target = root + "/data"
        var log: [String] = []
        try MNISTDownloader.fetch(into: target, from: [.directory(Fixtures.mnistDirectory)]) { log.append($0) }
        #expect(listing(target) == files.sorted())
        #expect(log.count == 4 && log.allSatisfy { $0.hasSuffix("md5 ok") })
        let dataset = try DatasetCatalog(dataDirectory: target, extraDirectories: [:]).load(name: "mnist")
        #expect(dataset.train.count == 60_000)
        // A second run finds every file present and verified, and needs no source at all.
        log = []
        try MNISTDownloader.fetch(into: target, from: []) { log.append($0) }
        #expect(log == files.map { "\($0): present, md5 ok" })
    }

    @Test func fetch_rejectsACorruptedCopyAndLeavesNoPartialFile() throws {
        var corrupted = try FileIO.readAll(Fixtures.mnistDirectory + "/train-labels-idx1-ubyte.gz")
        corrupted[1000] ^= 0x01
        let from = try source(replacing: "train-labels-idx1-ubyte.gz", with: corrupted)
        defer { Self.remove(from) }
        let target = Fixtures.temporaryDirectory()
        defer { Self.remove(target) }
        #expect(throws: FetchError.checksumMismatch(file: "train-labels-idx1-ubyte.gz", source: from,
                                                    expected: "28881 bytes, md5 d53e105ee54ea40749a09fcbcd1e9432",
                                                    actual: "md5 \(MD5.hex(corrupted))")) {
            try MNISTDownloader.fetch(into: target, from: [.directory(from)]) { _ in }
        }
        // The three good files are in place; the bad one and any temp file are not.
        #expect(listing(target) == ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz"])
    }

    @Test func fetch_rejectsATruncatedCopyBySize() throws {
        let truncated = Array(try FileIO.readAll(Fixtures.mnistDirectory + "/t10k-labels-idx1-ubyte.gz").dropLast(100))
        let from = try source(replacing: "t10k-labels-idx1-ubyte.gz", with: truncated)
        defer { Self.remove(from) }
        let target = Fixtures.temporaryDirectory()
        defer { Self.remove(target) }
        #expect(throws: FetchError.checksumMismatch(file: "t10k-labels-idx1-ubyte.gz", source: from,
                                                    expected: "4542 bytes, md5 ec29112dd5afa0611ce80d1b7f02629c",
                                                    actual: "4442 bytes")) {
            try MNISTDownloader.fetch(into: target, from: [.directory(from)]) { _ in }
        }
        #expect(!listing(target).contains("t10k-labels-idx1-ubyte.gz"))
    }

    @Test func fetch_replacesADamagedFileWithAVerifiedOne() throws {
        let target = Fixtures.temporaryDirectory()
        defer { Self.remove(target) }
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: target + "/t10k-labels-idx1-ubyte.gz"))
        var log: [String] = []
        try MNISTDownloader.fetch(into: target, from: [.directory(Fixtures.mnistDirectory)]) { log.append($0) }
        #expect(log.contains("t10k-labels-idx1-ubyte.gz: present but fails verification, fetching it again"))
        #expect(try FileIO.readAll(target + "/t10k-labels-idx1-ubyte.gz").count == 4542)
        #expect(listing(target) == files.sorted())
    }

    @Test func fetch_offlineNamesEveryFileWithPathSizeAndMD5() throws {
        let target = Fixtures.temporaryDirectory()
        defer { Self.remove(target) }
        // Port 9 on the loopback refuses connections: the same path as a machine without network.
        do {
            try MNISTDownloader.fetch(into: target, from: [.mirror("http://127.0.0.1:9/"), .directory("/nonexistent")]) { _ in }
            Issue.record("fetch succeeded without any source")
        } catch let FetchError.unavailable(missing, attempts, instructions) {
            #expect(missing == files)
            #expect(attempts.first?.hasPrefix("http://127.0.0.1:9/train-images-idx3-ubyte.gz: ") == true)
            #expect(attempts.contains("/nonexistent/t10k-labels-idx1-ubyte.gz: /nonexistent/t10k-labels-idx1-ubyte.gz: cannot read: No such file or directory"))
            for file in MNISTDownloader.files {
                #expect(instructions.contains("\(target)/\(file.name)  \(file.size) bytes  md5 \(file.md5)"))
            }
        }
        #expect(listing(target) == [])
    }

    @Test func fetch_downloadsFromAMirrorAndFallsBackPastABrokenOne() throws {
        var served: [String: [UInt8]] = [:]
        for file in files { served["/mnist/" + file] = try FileIO.readAll(Fixtures.mnistDirectory + "/" + file) }
        served["/bad/t10k-labels-idx1-ubyte.gz"] = [0x1f, 0x8b, 0]
        let server = try LoopbackServer(files: served)
        defer { server.stop() }
        let target = Fixtures.temporaryDirectory()
        defer { Self.remove(target) }
        var log: [String] = []
        // The first mirror has none of the files but one damaged one; the second has them all.
        try MNISTDownloader.fetch(into: target, from: [.mirror(server.url + "bad/"), .mirror(server.url + "mnist/")]) { log.append($0) }
        #expect(log == MNISTDownloader.files.map { "\($0.name): \($0.size) bytes from \(server.url)mnist/, md5 ok" })
        #expect(try DatasetCatalog(dataDirectory: target, extraDirectories: [:]).load(name: "mnist").test.count == 10_000)
    }

    @Test func ensure_keepsAnExistingDatasetWithoutFetching() throws {
        var log: [String] = []
        try MNISTDownloader.ensure(dataDirectory: Fixtures.mnistDirectory) { log.append($0) }
        #expect(log == ["MNIST present in \(Fixtures.mnistDirectory)"])
    }

    @Test func ensure_fetchesIntoAnEmptyDataDirectory() throws {
        let target = Fixtures.temporaryDirectory()
        defer { Self.remove(target) }
        var log: [String] = []
        try MNISTDownloader.ensure(dataDirectory: target, sources: [.directory(Fixtures.mnistDirectory)]) { log.append($0) }
        #expect(log.first == "MNIST not found in \(target), fetching it")
        #expect(log.count == 5)
        #expect(DatasetCatalog(dataDirectory: target, extraDirectories: [:]).names() == ["mnist"])
    }
}
