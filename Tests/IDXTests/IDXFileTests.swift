// Tests of IDXFile: every element type decoded big-endian, any rank, and each header defect as a typed error.
import Foundation
import Testing
@testable import IDX

@Suite struct IDXFileTests {
    @Test func parse_decodesUnsignedBytesInRowMajorOrder() throws {
        let file = try IDXFile(bytes: Fixtures.idx(.ubyte, [2, 3], payload: [0, 1, 2, 253, 254, 255]))
        #expect(file.elementType == .ubyte)
        #expect(file.dimensions == [2, 3])
        #expect(file.count == 6)
        #expect(file.data == .ubyte([0, 1, 2, 253, 254, 255]))
    }

    @Test func parse_decodesSignedBytesAsTwosComplement() throws {
        let file = try IDXFile(bytes: Fixtures.idx(.byte, [4], payload: [0x00, 0x7f, 0x80, 0xff]))
        #expect(file.data == .byte([0, 127, -128, -1]))
    }

    @Test func parse_decodesBigEndianShorts() throws {
        let file = try IDXFile(bytes: Fixtures.idx(.short, [3], payload: [0x01, 0x02, 0xff, 0xfe, 0x80, 0x00]))
        #expect(file.data == .short([0x0102, -2, Int16.min]))
    }

    @Test func parse_decodesBigEndianInts() throws {
        let file = try IDXFile(bytes: Fixtures.idx(.int, [2], payload: [0x01, 0x02, 0x03, 0x04, 0xff, 0xff, 0xff, 0xfd]))
        #expect(file.data == .int([0x0102_0304, -3]))
    }

    @Test func parse_decodesBigEndianFloats() throws {
        // 1.5 = 0x3fc00000, -2.25 = 0xc0100000 (IEEE 754 single).
        let file = try IDXFile(bytes: Fixtures.idx(.float, [1, 2], payload: [0x3f, 0xc0, 0, 0, 0xc0, 0x10, 0, 0]))
        #expect(file.data == .float([1.5, -2.25]))
        #expect(file.doubles() == [1.5, -2.25])
    }

    @Test func parse_decodesBigEndianDoubles() throws {
        // 0.1 = 0x3fb999999999999a (IEEE 754 double).
        let file = try IDXFile(bytes: Fixtures.idx(.double, [1], payload: [0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a]))
        #expect(file.data == .double([0.1]))
    }

    @Test func parse_acceptsAnyRankIncludingScalars() throws {
        let scalar = try IDXFile(bytes: Fixtures.idx(.ubyte, [], payload: [42]))
        #expect(scalar.dimensions == [] && scalar.data == .ubyte([42]))
        let fiveD = try IDXFile(bytes: Fixtures.idx(.short, [1, 2, 1, 2, 1], payload: Array(repeating: 0, count: 8)))
        #expect(fiveD.dimensions == [1, 2, 1, 2, 1] && fiveD.count == 4)
        let empty = try IDXFile(bytes: Fixtures.idx(.double, [0, 7], payload: []))
        #expect(empty.count == 0 && empty.data == .double([]))
    }

    @Test func parse_readsGzippedBytesLikeRawOnes() throws {
        let raw = Fixtures.idx(.int, [2, 2], payload: (0..<16).map(UInt8.init))
        #expect(try IDXFile(bytes: Fixtures.gzip(raw)) == IDXFile(bytes: raw))
    }

    @Test func parse_rejectsBadMagic() {
        #expect(throws: IDXError.badMagic(file: "f", bytes: [0, 1, 8, 1])) {
            try IDXFile(bytes: [0, 1, 8, 1, 0, 0, 0, 0], file: "f")
        }
    }

    @Test func parse_rejectsUnknownType() {
        #expect(throws: IDXError.unknownType(file: "f", code: 0x0A)) {
            try IDXFile(bytes: [0, 0, 0x0A, 1, 0, 0, 0, 0], file: "f")
        }
    }

    @Test func parse_reportsTruncationWithExpectedAndActualSizes() {
        #expect(throws: IDXError.truncated(file: "f", expected: 4, actual: 2)) { try IDXFile(bytes: [0, 0], file: "f") }
        #expect(throws: IDXError.truncated(file: "f", expected: 12, actual: 9)) {
            try IDXFile(bytes: [0, 0, 8, 2, 0, 0, 0, 1, 0], file: "f")
        }
        let short = Array(Fixtures.idx(.int, [3], payload: Array(repeating: 0, count: 12)).dropLast(5))
        #expect(throws: IDXError.truncated(file: "f", expected: 20, actual: 15)) { try IDXFile(bytes: short, file: "f") }
    }

    @Test func parse_rejectsTrailingBytes() {
        #expect(throws: IDXError.trailingBytes(file: "f", expected: 9, actual: 10)) {
            try IDXFile(bytes: Fixtures.idx(.ubyte, [1], payload: [1, 2]), file: "f")
        }
    }

    @Test func parse_reportsDimensionOverflowInsteadOfTrapping() {
        let huge = Int(UInt32.max)
        #expect(throws: IDXError.dimensionOverflow(file: "f", dimensions: [huge, huge, huge])) {
            try IDXFile(bytes: Fixtures.idx(.double, [huge, huge, huge], payload: []), file: "f")
        }
        // Fits in Int but not in the file: a truncation, found without allocating the claimed size.
        #expect(throws: IDXError.truncated(file: "f", expected: 12 + huge * 1000, actual: 12)) {
            try IDXFile(bytes: Fixtures.idx(.ubyte, [huge, 1000], payload: []), file: "f")
        }
    }

    @Test func load_namesTheFileThatCannotBeRead() {
        #expect(throws: IDXError.unreadable(file: "/nonexistent/x.idx", reason: "No such file or directory")) {
            try IDXFile.load(path: "/nonexistent/x.idx")
        }
    }
}
