// A small blocking HTTP/1.1 client over a real TCP socket (one request per connection), so the service
// tests go through the same bytes a curl user sends. Reads Content-Length, chunked and until-close bodies.
import Foundation
@testable import Service
#if canImport(Glibc)
import Glibc
#endif

struct HTTPResponse {
    let status: Int
    /// Header names lower-cased.
    let headers: [String: String]
    let body: Data

    var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
    var text: String { String(decoding: body, as: UTF8.self) }
}

struct HTTPClient {
    let port: Int
    var timeout: TimeInterval = 120

    enum Failure: Error { case connect(Int32), closedEarly, malformed(String) }

    func get(_ path: String, headers: [String: String] = [:]) throws -> HTTPResponse {
        try send("GET", path, headers: headers)
    }

    func post(_ path: String, json: JSONValue, headers: [String: String] = [:]) throws -> HTTPResponse {
        try send("POST", path, body: json.data, headers: ["Content-Type": "application/json"].merging(headers) { $1 })
    }

    func post(_ path: String, raw: String, headers: [String: String] = [:]) throws -> HTTPResponse {
        try send("POST", path, body: Data(raw.utf8), headers: ["Content-Type": "application/json"].merging(headers) { $1 })
    }

    /// Sends one request and reads the whole response, until the server closes the connection.
    func send(_ method: String, _ path: String, body: Data = Data(), headers: [String: String] = [:]) throws -> HTTPResponse {
        let fd = try connect()
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "DELETE" { head += "Content-Length: \(body.count)\r\n" }
        let request = Data((head + "\r\n").utf8) + body
        try request.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw Failure.closedEarly }
                offset += n
            }
        }
        var received = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            received += chunk[0..<n]
        }
        return try HTTPClient.parse(received)
    }

    private func connect() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var seconds = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure.connect(code)
        }
        return fd
    }

    static func parse(_ bytes: [UInt8]) throws -> HTTPResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<($0 + 4)]) == separator }) else {
            throw Failure.malformed("no end of head in \(bytes.count) bytes")
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure.malformed(lines[0]) }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return HTTPResponse(status: status, headers: headers, body: Data(body))
    }

    /// The payload of a chunked body (as far as it goes).
    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [], index = 0
        while index < bytes.count {
            guard let lineEnd = (index..<max(index, bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
                  let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first,
                  let size = Int(sizeText, radix: 16),
                  size > 0, lineEnd + 2 + size <= bytes.count else { break }
            out += bytes[(lineEnd + 2)..<(lineEnd + 2 + size)]
            index = lineEnd + 2 + size + 2
        }
        return out
    }
}
