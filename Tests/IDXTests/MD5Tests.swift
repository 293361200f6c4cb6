// Tests of MD5: the RFC 1321 appendix A.5 test suite, incremental updates, and the published MNIST sums.
import Foundation
import Testing
@testable import IDX

@Suite struct MD5Tests {
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func hex_matchesTheRFC1321TestSuite(input: String, digest: String) {
        #expect(MD5.hex(Array(input.utf8)) == digest)
    }

    @Test func update_inOddChunksEqualsOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        for chunk in [1, 7, 63, 64, 65, 999] {
            var md5 = MD5()
            var start = 0
            while start < bytes.count {
                md5.update(Array(bytes[start..<min(start + chunk, bytes.count)]))
                start += chunk
            }
            #expect(md5.hexDigest() == MD5.hex(bytes), "chunk \(chunk)")
        }
    }

    @Test func hex_padsAtEveryLengthAroundTheBlockBoundary() {
        // 55, 56 and 64 bytes need one, two and two blocks of padding (RFC 1321 §3.1); known sums of "a"×n.
        #expect(MD5.hex([UInt8](repeating: 0x61, count: 55)) == "ef1772b6dff9a122358552954ad0df65")
        #expect(MD5.hex([UInt8](repeating: 0x61, count: 56)) == "3b0c8ac703f828b04c6c197006d17218")
        #expect(MD5.hex([UInt8](repeating: 0x61, count: 64)) == "014842d480b571495a4a0363793f7367")
    }

    /// The files found (gzipped, as published) hash to the sums `MNISTDownloader` checks downloads against.
    /// Where the directory also holds an MD5SUMS (../shared/mnist does; `fetch-data` writes none), its
    /// lines are a second, independent copy of those sums and must agree with them.
    @Test(.enabled(if: Fixtures.mnistAvailable, Fixtures.mnistMissing))
    func hex_matchesThePublishedSumsOfTheMNISTFiles() throws {
        let directory = Fixtures.mnistDirectory
        var checked = 0
        for file in MNISTDownloader.files where FileManager.default.fileExists(atPath: directory + "/" + file.name) {
            let bytes = try FileIO.readAll(directory + "/" + file.name)
            #expect(MD5.hex(bytes) == file.md5, "\(file.name)")
            checked += 1
        }
        if checked == 0 { print("MD5Tests: \(directory) holds the files unzipped; only the digest suite ran") }
        guard let sums = try? String(contentsOfFile: directory + "/MD5SUMS", encoding: .utf8) else { return }
        var listed = 0
        for line in sums.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2 else { Issue.record("MD5SUMS line \(line)"); continue }
            #expect(MNISTDownloader.files.first { $0.name == parts[1] }?.md5 == String(parts[0]), "\(parts[1])")
            listed += 1
        }
        #expect(listed == 4)
    }
}
