// Gzip: inflates a whole gzip stream (one or more members) with the system zlib, under a size cap.
import CZlib

/// Gzip decompression of in-memory bytes; errors are `IDXError.corruptGzip` / `.tooLarge` naming `file`.
public enum Gzip {
    /// True when `bytes` start with the gzip magic 1f 8b.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates `input` (gzip, windowBits 15+32) into at most `limit` bytes.
    public static func decompress(_ input: [UInt8], file: String, limit: Int) throws -> [UInt8] {
        guard input.count <= Int(UInt32.max) else { throw IDXError.tooLarge(file: file, limit: Int(UInt32.max)) }
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw IDXError.corruptGzip(file: file, reason: "zlib could not initialise")
        }
        defer { inflateEnd(&stream) }
        // The trailer's ISIZE (size mod 2^32) sizes the buffer in one go for honest files; deflate cannot
        // expand more than ~1032:1, which bounds what a lying trailer can make us allocate.
        let hint = input.count >= 4 ? Int(UInt32(input[input.count - 4]) | UInt32(input[input.count - 3]) << 8
            | UInt32(input[input.count - 2]) << 16 | UInt32(input[input.count - 1]) << 24) : 0
        let ceiling = limit < Int.max ? limit + 1 : limit
        var output = [UInt8](repeating: 0, count: max(1, min(hint, input.count.multipliedReportingOverflow(by: 1032).partialValue + 1024, ceiling)))
        var produced = 0

        try input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            while true {
                if produced == output.count {
                    guard output.count < ceiling else { throw IDXError.tooLarge(file: file, limit: limit) }
                    let grown = min(ceiling, output.count > ceiling / 2 ? ceiling : max(output.count * 2, 1 << 16))
                    output.append(contentsOf: repeatElement(0, count: grown - output.count))
                }
                let space = min(output.count - produced, Int(UInt32.max))
                let status = output.withUnsafeMutableBufferPointer { target -> Int32 in
                    stream.next_out = target.baseAddress! + produced
                    stream.avail_out = uInt(space)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                produced += space - Int(stream.avail_out)
                if produced > limit { throw IDXError.tooLarge(file: file, limit: limit) }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    guard stream.avail_in > 0 else { return }
                    // Concatenated members are valid gzip (RFC 1952 §2.2); anything else after the end is not.
                    let next = source.count - Int(stream.avail_in)
                    guard stream.avail_in >= 2, source[next] == 0x1f, source[next + 1] == 0x8b else {
                        throw IDXError.corruptGzip(file: file, reason: "\(stream.avail_in) bytes of trailing data after the gzip stream")
                    }
                    inflateReset(&stream)
                case Z_BUF_ERROR where stream.avail_out == 0:
                    continue
                case Z_BUF_ERROR:
                    throw IDXError.corruptGzip(file: file, reason: "unexpected end of stream after \(produced) bytes")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw IDXError.corruptGzip(file: file, reason: message)
                }
            }
        }
        output.removeLast(output.count - produced)
        return output
    }
}
