// Reading responses on a client connection with its own small decoder (it shares no parsing code with the
// server, so the server's tests check it against an independent reading): status line, headers, and a body
// by Content-Length, chunked, or until the server closes.
import Foundation
import Glibc

extension ClientConnection {
    /// The next response; nil when the connection ends before one starts. `headOnly` leaves the body unread
    /// (a streamed response: then `readChunk()`).
    public func readResponse(headOnly: Bool = false) throws -> ClientResponse? {
        var headEnd: Int?
        while true {
            if let index = find([13, 10, 13, 10]) { headEnd = index; break }
            try checkStatusLine(final: false)
            let more: Bool
            do { more = try fill() } catch ClientError.timedOut where buffer.isEmpty {
                throw ClientError.noAnswer(peer: peer, seconds: timeout)
            }
            if !more {
                if buffer.isEmpty { return nil }
                try checkStatusLine(final: true)
                throw ClientError.io(peer: peer, reason: "closed in the middle of the response head")
            }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        var lines = head.components(separatedBy: "\r\n")
        let (version, status, reason) = try parseStatusLine(lines.removeFirst())
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw ClientError.malformed(peer: peer, detail: "header line '\(line)'") }
            headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        func response(_ body: [UInt8]) -> ClientResponse {
            ClientResponse(version: version, status: status, reason: reason, headers: headers, body: Data(body))
        }
        if headOnly || status < 200 || status == 204 || status == 304 { return response([]) }
        if let length = headers["Content-Length"].flatMap({ Int($0) }) {
            while buffer.count < length {
                if try !fill() { throw ClientError.io(peer: peer, reason: "closed after \(buffer.count) of \(length) body bytes") }
            }
            defer { buffer.removeFirst(length) }
            return response(Array(buffer[0..<length]))
        }
        if headers.hasToken("chunked", in: "Transfer-Encoding") {
            var body: [UInt8] = []
            while let chunk = try readChunk() { body += chunk }
            return response(body)
        }
        while try fill() {}
        defer { buffer.removeAll() }
        return response(buffer)
    }

    /// The next chunk of a chunked body; nil after the last (zero-size) chunk.
    public func readChunk() throws -> [UInt8]? {
        var lineEnd: Int?
        while true {
            if let index = find([13, 10]) { lineEnd = index; break }
            if try !fill() { throw ClientError.io(peer: peer, reason: "closed before a chunk size") }
        }
        let sizeText = String(decoding: buffer[0..<lineEnd!], as: UTF8.self).split(separator: ";").first ?? ""
        guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
            throw ClientError.malformed(peer: peer, detail: "chunk size '\(sizeText)'")
        }
        buffer.removeFirst(lineEnd! + 2)
        while buffer.count < size + 2 {
            if try !fill() { throw ClientError.io(peer: peer, reason: "closed in the middle of a chunk") }
        }
        let data = Array(buffer[0..<size])
        buffer.removeFirst(size + 2)
        return size == 0 ? nil : data
    }

    /// True once the server has closed (end of stream or reset) with nothing more to read.
    public func isClosedByServer() throws -> Bool {
        while buffer.isEmpty {
            do { if try !fill() { return true } } catch ClientError.io { return true }
        }
        return false
    }

    // MARK: - Bytes

    /// Reads what has arrived into `buffer` (waiting up to the timeout); false at end of stream.
    func fill() throws -> Bool {
        while true {
            guard wait(for: Int16(POLLIN)) else { throw ClientError.timedOut(peer: peer, seconds: timeout) }
            let read: (count: Int, endOfStream: Bool)
            do { read = try socket.readAvailable(into: &buffer, limit: 1 << 20) } catch {
                throw ClientError.io(peer: peer, reason: "\(error)")
            }
            if read.count > 0 { return true }
            if read.endOfStream { return false }
        }
    }

    /// Throws `notHTTP` as soon as the first line is in (or the stream ended) and is not a status line.
    private func checkStatusLine(final: Bool) throws {
        guard let end = find([13, 10]) ?? (final || buffer.count >= 256 ? buffer.count : nil) else { return }
        _ = try parseStatusLine(String(decoding: buffer[0..<end], as: UTF8.self))
    }

    /// `HTTP/1.1 SP 3DIGIT SP reason` (RFC 9112 §4).
    private func parseStatusLine(_ line: String) throws -> (version: String, status: Int, reason: String) {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), parts[1].count == 3, let status = Int(parts[1]) else {
            let firstLine = line.prefix { !$0.isNewline }
            throw ClientError.notHTTP(peer: peer, firstLine: String(firstLine.prefix(80)))
        }
        return (String(parts[0]), status, parts.count > 2 ? String(parts[2]) : "")
    }

    func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for index in 0...(buffer.count - pattern.count) where buffer[index] == pattern[0] {
            if buffer[index..<index + pattern.count].elementsEqual(pattern) { return index }
        }
        return nil
    }
}
