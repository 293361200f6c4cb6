// A blocking TCP client for tests: writes raw bytes and reads responses with its own minimal decoder,
// so the server is checked against an implementation that shares no code with it.
import Foundation
import Glibc
@testable import HTTP

struct RawResponse {
    let status: Int
    let headers: HTTPHeaders
    let body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    var errorCode: String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: [String: Any]]
        return object?["error"]?["code"] as? String
    }
}

enum RawClientError: Error { case connect(Int32), timeout, malformed(String) }

final class RawClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port`; reads time out after `timeout` seconds.
    convenience init(port: Int, timeout: Double = 5) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        // Close here and throw before init: a thrown init of a fully initialised object still runs deinit,
        // and a second close could hit a descriptor another test has been given since.
        guard result == 0 else { let code = errno; Glibc.close(fd); throw RawClientError.connect(code) }
        self.init(fd: fd, timeout: timeout)
    }

    /// Wraps an already connected descriptor (one end of a socketpair), made blocking.
    init(fd: Int32, timeout: Double = 5) {
        self.fd = fd
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        setTimeout(timeout)
    }

    deinit { Glibc.close(fd) }

    func setTimeout(_ seconds: Double) {
        var time = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Whether a read would return data or end-of-stream within `seconds`.
    func isReadable(within seconds: Double) -> Bool {
        if !buffer.isEmpty { return true }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, Int32(seconds * 1000)) > 0
    }

    func shutdownWrite() { _ = Glibc.shutdown(fd, Int32(SHUT_WR)) }

    /// Reads more bytes into the buffer; false at end of stream (or on error).
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw RawClientError.timeout }
        guard n > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// True once the server has closed (end of stream or reset) with nothing more to read.
    func isClosedByServer() throws -> Bool {
        while buffer.isEmpty { if try !fill() { return true } }
        return false
    }

    /// The head of a streamed response, leaving its body to `readChunk()`.
    func readStreamHead() throws -> RawResponse? {
        try readResponse(head: true)
    }

    /// The next response; nil when the connection ends before one starts.
    func readResponse(head: Bool = false) throws -> RawResponse? {
        var end: Int?
        while true {
            if let index = find([13, 10, 13, 10]) { end = index; break }
            if try !fill() {
                if buffer.isEmpty { return nil }
                throw RawClientError.malformed("eof in head: \(String(decoding: buffer, as: UTF8.self))")
            }
        }
        let headText = String(decoding: buffer[0..<end!], as: UTF8.self)
        buffer.removeFirst(end! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0] == "HTTP/1.1", let status = Int(statusLine[1]) else {
            throw RawClientError.malformed("status line: \(headText)")
        }
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw RawClientError.malformed("header: \(line)") }
            headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        if head || status < 200 || status == 204 || status == 304 { return RawResponse(status: status, headers: headers, body: []) }
        if let length = headers["Content-Length"].flatMap({ Int($0) }) {
            while buffer.count < length { if try !fill() { throw RawClientError.malformed("eof in body") } }
            defer { buffer.removeFirst(length) }
            return RawResponse(status: status, headers: headers, body: Array(buffer[0..<length]))
        }
        if headers["Transfer-Encoding"] == "chunked" {
            return RawResponse(status: status, headers: headers, body: try readChunks())
        }
        while try fill() {}
        defer { buffer.removeAll() }
        return RawResponse(status: status, headers: headers, body: buffer)
    }

    /// Decodes one chunk of a chunked body; nil after the last chunk.
    func readChunk() throws -> [UInt8]? {
        var lineEnd: Int?
        while true {
            if let index = find([13, 10]) { lineEnd = index; break }
            if try !fill() { throw RawClientError.malformed("eof in chunk size") }
        }
        guard let size = Int(String(decoding: buffer[0..<lineEnd!], as: UTF8.self), radix: 16) else {
            throw RawClientError.malformed("chunk size")
        }
        buffer.removeFirst(lineEnd! + 2)
        while buffer.count < size + 2 { if try !fill() { throw RawClientError.malformed("eof in chunk") } }
        let data = Array(buffer[0..<size])
        buffer.removeFirst(size + 2)
        return size == 0 ? nil : data
    }

    private func readChunks() throws -> [UInt8] {
        var body: [UInt8] = []
        while let chunk = try readChunk() { body += chunk }
        return body
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for index in 0...(buffer.count - pattern.count) where buffer[index] == pattern[0] {
            if Array(buffer[index..<index + pattern.count]) == pattern { return index }
        }
        return nil
    }
}

/// Runs `body` against a started server on a free port, then shuts it down.
func withServer(_ router: Router, options: ServerOptions = ServerOptions(), _ body: (Server, Int) throws -> Void) throws {
    let server = Server(host: "127.0.0.1", port: 0, router: router, options: options)
    let port = try server.start()
    defer { server.shutdown() }
    try body(server, port)
}
