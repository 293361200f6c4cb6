// PNG scanlines to pixels: inflate, undo the per-row filters (including Adam7 passes), unpack samples
// of any depth, then palette, transparency, alpha and colour to one greyscale byte per pixel.
import Foundation

extension PNGDecoder {
    /// Adam7 passes: (x start, y start, x step, y step).
    private static let adam7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]

    /// Every sample of the image, row-major, `channels` per pixel, at their stored depth (0...2^depth-1).
    static func samples(_ header: Header, _ compressed: [UInt8]) throws -> [Int] {
        let passes = header.interlaced ? adam7 : [(0, 0, 1, 1)]
        var sizes: [(Int, Int)] = []
        var expected = 0
        for (x0, y0, dx, dy) in passes {
            let w = header.width > x0 ? (header.width - x0 + dx - 1) / dx : 0
            let h = header.height > y0 ? (header.height - y0 + dy - 1) / dy : 0
            sizes.append((w, h))
            if w > 0 && h > 0 { expected += h * (1 + header.rowBytes(width: w)) }
        }
        let data = try inflate(compressed, expected: expected)
        var samples = [Int](repeating: 0, count: header.width * header.height * header.channels)
        var offset = 0
        for (pass, (x0, y0, dx, dy)) in passes.enumerated() {
            let (w, h) = sizes[pass]
            guard w > 0 && h > 0 else { continue }
            let rowBytes = header.rowBytes(width: w)
            var previous = [UInt8](repeating: 0, count: rowBytes)
            for y in 0..<h {
                let filter = data[offset]
                var row = Array(data[(offset + 1)..<(offset + 1 + rowBytes)])
                offset += 1 + rowBytes
                try unfilter(&row, previous: previous, filter: filter, stride: header.filterStride)
                for x in 0..<w {
                    let target = ((y0 + y * dy) * header.width + x0 + x * dx) * header.channels
                    for c in 0..<header.channels {
                        samples[target + c] = sample(row, index: x * header.channels + c, depth: header.depth)
                    }
                }
                previous = row
            }
        }
        return samples
    }

    /// Reverses one row's filter in place (PNG spec §9.2); `stride` is bytes per pixel (≥ 1).
    static func unfilter(_ row: inout [UInt8], previous: [UInt8], filter: UInt8, stride: Int) throws {
        switch filter {
        case 0: break
        case 1: for i in stride..<max(stride, row.count) { row[i] &+= row[i - stride] }
        case 2: for i in 0..<row.count { row[i] &+= previous[i] }
        case 3:
            for i in 0..<row.count {
                let left = i >= stride ? Int(row[i - stride]) : 0
                row[i] &+= UInt8((left + Int(previous[i])) / 2)
            }
        case 4:
            for i in 0..<row.count {
                let a = i >= stride ? Int(row[i - stride]) : 0
                let b = Int(previous[i])
                let c = i >= stride ? Int(previous[i - stride]) : 0
                let p = a + b - c
                let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                row[i] &+= UInt8(pa <= pb && pa <= pc ? a : (pb <= pc ? b : c))
            }
        default: throw ImageError.malformed("unknown PNG row filter type \(filter)")
        }
    }

    /// The `index`-th sample of a row at `depth` bits (big-endian, most significant bits first).
    private static func sample(_ row: [UInt8], index: Int, depth: Int) -> Int {
        switch depth {
        case 8: return Int(row[index])
        case 16: return Int(row[2 * index]) << 8 | Int(row[2 * index + 1])
        default:
            let bit = index * depth
            let shift = 8 - depth - bit % 8
            return Int(row[bit / 8] >> UInt8(shift)) & ((1 << depth) - 1)
        }
    }

    /// Samples to 8-bit greyscale: palette lookup, tRNS, alpha over black, RGB to luminance.
    static func grey(_ header: Header, _ samples: [Int], palette: [UInt8], transparency: [UInt8]) throws -> [UInt8] {
        let maxSample = (1 << header.depth) - 1
        func to8(_ value: Int) -> Int { header.depth == 8 ? value : (value * 255 + maxSample / 2) / maxSample }
        // tRNS for grey/RGB names one colour (at the image's depth) that is fully transparent.
        let key: [Int]? = {
            switch header.colorType {
            case 0 where transparency.count >= 2: return [Int(transparency[0]) << 8 | Int(transparency[1])]
            case 2 where transparency.count >= 6:
                return (0..<3).map { Int(transparency[2 * $0]) << 8 | Int(transparency[2 * $0 + 1]) }
            default: return nil
            }
        }()
        let n = header.width * header.height
        var out = [UInt8](repeating: 0, count: n)
        for p in 0..<n {
            let s = Array(samples[(p * header.channels)..<((p + 1) * header.channels)])
            var value: Int, alpha = 255
            switch header.colorType {
            case 0:
                value = to8(s[0])
                if let key, key[0] == s[0] { alpha = 0 }
            case 2:
                value = ImageDecoder.luminance(to8(s[0]), to8(s[1]), to8(s[2]))
                if let key, key == s { alpha = 0 }
            case 3:
                guard s[0] * 3 + 2 < palette.count else { throw ImageError.malformed("palette index \(s[0]) is out of range") }
                value = ImageDecoder.luminance(Int(palette[3 * s[0]]), Int(palette[3 * s[0] + 1]), Int(palette[3 * s[0] + 2]))
                if s[0] < transparency.count { alpha = Int(transparency[s[0]]) }
            case 4:
                value = to8(s[0])
                alpha = to8(s[1])
            default:
                value = ImageDecoder.luminance(to8(s[0]), to8(s[1]), to8(s[2]))
                alpha = to8(s[3])
            }
            out[p] = UInt8(alpha == 255 ? value : ImageDecoder.overBlack(value, alpha: alpha))
        }
        return out
    }
}
