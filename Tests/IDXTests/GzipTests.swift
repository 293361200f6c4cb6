// Tests of Gzip: round trips through the system zlib, multi-member streams, and damaged or oversized input.
import Testing
@testable import IDX

@Suite struct GzipTests {
    private let text = Array("the quick brown fox jumps over the lazy dog, ".utf8) + (0..<5000).map { UInt8($0 % 251) }

    @Test func decompress_roundTripsZlibOutput() throws {
        for level: Int32 in [0, 1, 9] {
            #expect(try Gzip.decompress(Fixtures.gzip(text, level: level), file: "f", limit: 1 << 20) == text)
        }
        #expect(try Gzip.decompress(Fixtures.gzip([]), file: "f", limit: 1 << 20) == [])
    }

    @Test func decompress_concatenatesMembers() throws {
        let joined = Fixtures.gzip(Array(text[..<100])) + Fixtures.gzip(Array(text[100...]))
        #expect(try Gzip.decompress(joined, file: "f", limit: 1 << 20) == text)
    }

    @Test func decompress_rejectsATruncatedStream() {
        let packed = Fixtures.gzip(text)
        #expect(throws: IDXError.self) { try Gzip.decompress(Array(packed.dropLast(10)), file: "f", limit: 1 << 20) }
        do {
            _ = try Gzip.decompress(Array(packed.prefix(packed.count / 2)), file: "f", limit: 1 << 20)
            Issue.record("half a stream decompressed")
        } catch let error as IDXError {
            guard case .corruptGzip(file: "f", let reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(reason.contains("unexpected end"))
        } catch { Issue.record("untyped error \(error)") }
    }

    @Test func decompress_rejectsADamagedChecksum() {
        var packed = Fixtures.gzip(text)
        packed[packed.count - 6] ^= 0xff   // inside the CRC-32 trailer
        #expect(throws: IDXError.corruptGzip(file: "f", reason: "incorrect data check")) {
            try Gzip.decompress(packed, file: "f", limit: 1 << 20)
        }
    }

    @Test func decompress_rejectsTrailingGarbage() {
        #expect(throws: IDXError.corruptGzip(file: "f", reason: "3 bytes of trailing data after the gzip stream")) {
            try Gzip.decompress(Fixtures.gzip(text) + [1, 2, 3], file: "f", limit: 1 << 20)
        }
    }

    @Test func decompress_stopsAtTheLimit() throws {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        #expect(throws: IDXError.tooLarge(file: "f", limit: 1000)) {
            try Gzip.decompress(Fixtures.gzip(zeros), file: "f", limit: 1000)
        }
        #expect(try Gzip.decompress(Fixtures.gzip(zeros), file: "f", limit: zeros.count).count == zeros.count)
    }

    @Test func isGzip_looksAtTheMagicOnly() {
        #expect(Gzip.isGzip([0x1f, 0x8b]))
        #expect(!Gzip.isGzip([0x1f]))
        #expect(!Gzip.isGzip([0, 0, 8, 1]))
    }
}
