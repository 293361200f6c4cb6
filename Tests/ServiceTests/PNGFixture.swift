// A tiny PNG encoder for tests: any color type/depth, a chosen filter per row, optional Adam7, extra chunks.
// It writes the filters forward from the spec's formulas, so the decoder's inverse is checked against it.
import CZlib
import Foundation

struct PNGFixture {
    var width = 28, height = 28, depth = 8, colorType = 0, interlaced = false
    /// Samples row-major, `channels` per pixel, each in 0..<2^depth.
    var samples: [Int]
    /// Filter type per scanline, cycled.
    var filters: [UInt8] = [0, 1, 2, 3, 4]
    var palette: [UInt8]? = nil
    var transparency: [UInt8]? = nil

    var channels: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType]! }

    func encode() -> [UInt8] {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var ihdr = be32(width) + be32(height)
        ihdr += [UInt8(depth), UInt8(colorType), 0, 0, interlaced ? 1 : 0]
        png += PNGFixture.chunk("IHDR", ihdr)
        if let palette { png += PNGFixture.chunk("PLTE", palette) }
        if let transparency { png += PNGFixture.chunk("tRNS", transparency) }
        let compressed = PNGFixture.deflate(scanlines())
        // Split IDAT in two to check that the decoder concatenates them.
        let half = compressed.count / 2
        png += PNGFixture.chunk("IDAT", Array(compressed[..<half]))
        png += PNGFixture.chunk("IDAT", Array(compressed[half...]))
        png += PNGFixture.chunk("IEND", [])
        return png
    }

    func scanlines() -> [UInt8] {
        let passes = interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)]
        var out: [UInt8] = []
        var rowNumber = 0
        for (x0, y0, dx, dy) in passes {
            let xs = Array(stride(from: x0, to: width, by: dx)), ys = Array(stride(from: y0, to: height, by: dy))
            guard !xs.isEmpty && !ys.isEmpty else { continue }
            var previous = [UInt8](repeating: 0, count: (xs.count * channels * depth + 7) / 8)
            for y in ys {
                var raw: [UInt8] = []
                var bits = 0, acc = 0
                for x in xs {
                    for c in 0..<channels {
                        let v = samples[(y * width + x) * channels + c]
                        if depth == 16 { raw += [UInt8(v >> 8), UInt8(v & 0xFF)]; continue }
                        acc = acc << depth | v
                        bits += depth
                        if bits == 8 { raw.append(UInt8(acc)); acc = 0; bits = 0 }
                    }
                }
                if bits > 0 { raw.append(UInt8(acc << (8 - bits))) }
                let filter = filters[rowNumber % filters.count]
                rowNumber += 1
                out.append(filter)
                out += PNGFixture.filter(raw, previous: previous, type: filter, stride: max(1, channels * depth / 8))
                previous = raw
            }
        }
        return out
    }

    static func filter(_ raw: [UInt8], previous: [UInt8], type: UInt8, stride: Int) -> [UInt8] {
        (0..<raw.count).map { i in
            let a = i >= stride ? Int(raw[i - stride]) : 0, b = Int(previous[i]), c = i >= stride ? Int(previous[i - stride]) : 0
            let predictor: Int
            switch type {
            case 0: predictor = 0
            case 1: predictor = a
            case 2: predictor = b
            case 3: predictor = (a + b) / 2
            default:
                let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
            }
            return raw[i] &- UInt8(predictor)
        }
    }

    static func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        let crc = (typeBytes + body).withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        return be32(body.count) + typeBytes + body + be32(Int(crc))
    }

    static func deflate(_ data: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        _ = data.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { compress($0.baseAddress, &length, source.baseAddress, uLong(source.count)) }
        }
        return Array(out.prefix(Int(length)))
    }
}

func be32(_ value: Int) -> [UInt8] {
    [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
     UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
}

