// Tests of FileIO: whole-file reads with errno reasons, and atomic writes that leave no temp file behind.
import Foundation
import Testing
@testable import IDX

@Suite struct FileIOTests {
    @Test func writeAtomically_replacesTheFileAndLeavesNothingElse() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/file.bin"
        try FileIO.writeAtomically([1, 2, 3], to: path)
        try FileIO.writeAtomically(Array(repeating: 7, count: 100_000), to: path)
        #expect(try FileIO.readAll(path) == Array(repeating: 7, count: 100_000))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["file.bin"])
    }

    @Test func writeAtomically_reportsAMissingDirectory() {
        #expect(throws: FetchError.self) { try FileIO.writeAtomically([1], to: "/nonexistent-dir/file.bin") }
    }

    @Test func readAll_refusesDirectories() {
        #expect(throws: IDXError.unreadable(file: "/tmp", reason: "not a regular file")) { try FileIO.readAll("/tmp") }
    }

    @Test func readAll_readsEmptyFiles() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/empty"
        try FileIO.writeAtomically([], to: path)
        #expect(try FileIO.readAll(path) == [])
        #expect(FileIO.isFile(path) && !FileIO.isDirectory(path))
    }
}
