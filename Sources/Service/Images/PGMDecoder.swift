// PGM (Netpbm greymap) decoding: P5 binary and P2 ASCII, maxval 1...65535 (two big-endian bytes past 255),
// with `#` comments in the header. Values are rescaled to 0...255.
import Foundation

enum PGMDecoder {
    static func decode(_ bytes: [UInt8]) throws -> [UInt8] {
        var index = 2
        let binary = bytes[1] == UInt8(ascii: "5")
        let width = try headerNumber(bytes, &index, "width")
        let height = try headerNumber(bytes, &index, "height")
        let maxval = try headerNumber(bytes, &index, "maxval")
        guard (1...65535).contains(maxval) else { throw ImageError.malformed("PGM maxval \(maxval) is outside 1...65535") }
        try ImageDecoder.checkSize(width: width, height: height)
        let count = width * height
        var raw = [Int](repeating: 0, count: count)
        if binary {
            // Exactly one whitespace byte separates maxval from the raster (Netpbm spec).
            guard index < bytes.count, isSpace(bytes[index]) else { throw ImageError.truncated("the PGM header") }
            index += 1
            let wide = maxval > 255
            let needed = count * (wide ? 2 : 1)
            guard bytes.count - index >= needed else { throw ImageError.truncated("the PGM raster") }
            for i in 0..<count {
                raw[i] = wide ? Int(bytes[index + 2 * i]) << 8 | Int(bytes[index + 2 * i + 1]) : Int(bytes[index + i])
            }
        } else {
            for i in 0..<count {
                raw[i] = try headerNumber(bytes, &index, "pixel \(i)", raster: true)
            }
        }
        return try raw.map { value in
            guard value <= maxval else { throw ImageError.malformed("PGM pixel value \(value) exceeds maxval \(maxval)") }
            return UInt8((value * 255 + maxval / 2) / maxval)
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    /// Skips whitespace and comments, then reads one decimal number.
    private static func headerNumber(_ bytes: [UInt8], _ index: inout Int, _ what: String, raster: Bool = false) throws -> Int {
        while index < bytes.count {
            if isSpace(bytes[index]) {
                index += 1
            } else if bytes[index] == UInt8(ascii: "#") {
                while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
            } else {
                break
            }
        }
        let start = index
        var value = 0
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
            value = value * 10 + Int(bytes[index] - 48)
            guard value <= 1 << 20 else { throw ImageError.malformed("PGM \(what) is too large") }
            index += 1
        }
        guard index > start else {
            if index >= bytes.count { throw ImageError.truncated(raster ? "the PGM raster" : "the PGM header") }
            throw ImageError.malformed("PGM \(what) is not a number")
        }
        return value
    }
}
