// PNG decoding (ISO/IEC 15948) for prediction images: every color type and bit depth, all five filters,
// Adam7 interlacing, PLTE/tRNS transparency. Chunk CRCs are checked; IDAT is inflated with the system zlib.
import CZlib
import Foundation

enum PNGDecoder {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The IHDR fields that matter after validation.
    struct Header {
        let width: Int, height: Int, depth: Int, colorType: Int, interlaced: Bool
        /// Samples per pixel: grey 1, RGB 3, palette 1, grey+alpha 2, RGBA 4.
        var channels: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType]! }
        /// Bytes per complete pixel, at least 1 (the filter's "bpp").
        var filterStride: Int { max(1, channels * depth / 8) }
        func rowBytes(width: Int) -> Int { (width * channels * depth + 7) / 8 }
    }

    static func decode(_ bytes: [UInt8]) throws -> [UInt8] {
        var index = signature.count
        var header: Header?
        var palette: [UInt8] = []
        var transparency: [UInt8] = []
        var compressed: [UInt8] = []
        var sawEnd = false
        while !sawEnd {
            guard bytes.count - index >= 12 else {
                if bytes.count == index { throw ImageError.truncated(header == nil ? "the IHDR chunk" : "the chunk list (no IEND)") }
                throw ImageError.truncated("the chunk at byte \(index)")
            }
            let length = Int(readUInt32(bytes, index))
            let typeBytes = Array(bytes[(index + 4)..<(index + 8)])
            let type = String(decoding: typeBytes.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
            guard length <= 0x7FFF_FFFF, bytes.count - index - 12 >= length else { throw ImageError.truncated("chunk \(type)") }
            let body = Array(bytes[(index + 8)..<(index + 8 + length)])
            let stored = readUInt32(bytes, index + 8 + length)
            let computed = typeBytes.withUnsafeBufferPointer { t in
                body.withUnsafeBufferPointer { b in
                    crc32(crc32(0, t.baseAddress, 4), b.baseAddress, uInt(length))
                }
            }
            guard stored == UInt32(computed) else { throw ImageError.badCRC(chunk: type) }
            index += 12 + length
            if header == nil && type != "IHDR" { throw ImageError.malformed("the first chunk is \(type), not IHDR") }
            switch type {
            case "IHDR": header = try parseHeader(body)
            case "PLTE": palette = body
            case "tRNS": transparency = body
            case "IDAT": compressed += body
            case "IEND": sawEnd = true
            default:
                // Unknown critical chunks (uppercase first letter) cannot be skipped safely.
                if typeBytes[0] & 0x20 == 0 { throw ImageError.malformed("unknown critical chunk \(type)") }
            }
        }
        guard let header else { throw ImageError.malformed("no IHDR chunk") }
        guard !compressed.isEmpty else { throw ImageError.malformed("no IDAT chunk") }
        if header.colorType == 3 {
            guard !palette.isEmpty, palette.count % 3 == 0, palette.count / 3 <= 1 << header.depth else {
                throw ImageError.malformed("palette image without a valid PLTE chunk")
            }
        }
        let samples = try PNGDecoder.samples(header, compressed)
        return try PNGDecoder.grey(header, samples, palette: palette, transparency: transparency)
    }

    static func readUInt32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    private static func parseHeader(_ body: [UInt8]) throws -> Header {
        guard body.count == 13 else { throw ImageError.malformed("IHDR has \(body.count) bytes, not 13") }
        let width = Int(readUInt32(body, 0)), height = Int(readUInt32(body, 4))
        let depth = Int(body[8]), colorType = Int(body[9])
        let allowed: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard let depths = allowed[colorType] else { throw ImageError.unsupportedColorType(colorType) }
        guard depths.contains(depth) else { throw ImageError.unsupportedBitDepth(depth: depth, colorType: colorType) }
        guard body[10] == 0 else { throw ImageError.unsupportedCompression("PNG compression method \(body[10])") }
        guard body[11] == 0 else { throw ImageError.unsupportedCompression("PNG filter method \(body[11])") }
        guard body[12] <= 1 else { throw ImageError.unsupportedCompression("PNG interlace method \(body[12])") }
        try ImageDecoder.checkSize(width: width, height: height)
        return Header(width: width, height: height, depth: depth, colorType: colorType, interlaced: body[12] == 1)
    }

    /// Inflates exactly `expected` bytes; more or less data, or a corrupt stream, is an error.
    static func inflate(_ compressed: [UInt8], expected: Int) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expected + 1)  // one spare byte detects excess data
        var length = uLongf(output.count)
        let status = compressed.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                uncompress(target.baseAddress, &length, source.baseAddress, uLong(source.count))
            }
        }
        if Int(length) == output.count || (status == Z_BUF_ERROR && Int(length) >= expected) {
            throw ImageError.malformed("the pixel data is longer than a 28×28 image needs")
        }
        if status == Z_OK {
            guard Int(length) == expected else {
                throw ImageError.truncated("the pixel data (\(length) of \(expected) bytes)")
            }
            return Array(output.prefix(expected))
        }
        // zlib reports a stream that ends early as Z_DATA_ERROR or Z_BUF_ERROR.
        throw ImageError.malformed("the compressed pixel data does not inflate (zlib error \(status))")
    }
}
