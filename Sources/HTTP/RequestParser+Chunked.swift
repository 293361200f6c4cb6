// The chunked transfer coding (RFC 9112 §7.1): hex sizes with ignored extensions, CRLF after each chunk,
// a zero-size last chunk, then a trailer section that is read and discarded (§7.1.2).

private let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

extension RequestParser {
    /// Longest chunk-size line accepted, extensions included (§7.1.1 asks servers to bound them).
    static let maxChunkLine = 4096

    /// Decodes as much of the chunked body as has arrived; true once the trailer's blank line is consumed.
    mutating func decodeChunks(_ chunk: inout ChunkState, into body: inout [UInt8]) throws -> Bool {
        while true {
            switch chunk {
            case .size:
                guard let line = try takeLine(limit: Self.maxChunkLine, error: .chunkLineTooLong(limit: Self.maxChunkLine)) else { return false }
                let size = try Self.chunkSize(line)
                if size > limits.maxBodyBytes - body.count { throw ParseError.bodyTooLarge(limit: limits.maxBodyBytes) }
                chunk = size == 0 ? .trailer(bytes: 0) : .data(remaining: size)
            case let .data(remaining):
                let available = min(remaining, buffer.count - start)
                guard available > 0 else { return false }
                body.append(contentsOf: buffer[start..<start + available])
                start += available
                chunk = remaining == available ? .dataEnd : .data(remaining: remaining - available)
            case .dataEnd:
                // chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
                guard start < buffer.count else { return false }
                if buffer[start] == lf {
                    start += 1
                } else if buffer[start] == cr {
                    guard start + 1 < buffer.count else { return false }
                    guard buffer[start + 1] == lf else { throw ParseError.invalidChunkTerminator }
                    start += 2
                } else {
                    throw ParseError.invalidChunkTerminator
                }
                chunk = .size
            case let .trailer(seen):
                let before = start
                guard let line = try takeLine(limit: limits.maxHeaderBytes - seen, error: .headerTooLarge(limit: limits.maxHeaderBytes)) else { return false }
                if line.isEmpty { return true }
                chunk = .trailer(bytes: seen + start - before)
            }
        }
    }

    /// The next line without its LF (and CR), consuming it; nil if its end has not arrived.
    private mutating func takeLine(limit: Int, error: ParseError) throws -> [UInt8]? {
        guard let end = buffer[start...].firstIndex(of: lf) else {
            if buffer.count - start > limit { throw error }
            return nil
        }
        if end - start > limit { throw error }
        var line = Array(buffer[start..<end])
        if line.last == cr { line.removeLast() }
        start = end + 1
        return line
    }

    /// §7.1: chunk-size = 1*HEXDIG, then optionally BWS ";" extensions, which carry nothing we use.
    static func chunkSize(_ line: [UInt8]) throws -> Int {
        var size = 0, digits = 0, index = 0
        while index < line.count, let value = hexDigit(line[index]) {
            // More than 15 hex digits cannot be a size below 2^60; stop before overflowing.
            guard digits < 15 else { throw ParseError.invalidChunkSize }
            size = size << 4 | value
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw ParseError.invalidChunkSize }
        while index < line.count, line[index] == UInt8(ascii: " ") || line[index] == UInt8(ascii: "\t") { index += 1 }
        guard index == line.count || line[index] == UInt8(ascii: ";") else { throw ParseError.invalidChunkSize }
        if line.contains(cr) { throw ParseError.bareCarriageReturn }
        return size
    }
}
