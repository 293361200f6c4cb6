// A response as bytes on the wire (RFC 9112 §4 status line, §6 framing), and chunk framing for streams.
import Foundation

extension Response {
    /// Status line and header section. `contentLength` nil means chunked (or, for HTTP/1.0, close-delimited);
    /// the server's own framing headers replace any the handler set.
    func head(contentLength: Int?, keepAlive: Bool, version: HTTPVersion) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(192)
        out.append(contentsOf: "HTTP/1.1 \(status) \(HTTPStatus.reason(status))\r\n".utf8)
        for (name, value) in headers {
            if Self.serverHeaders.contains(where: { HTTPHeaders.equalsIgnoringCase($0, name) }) { continue }
            append(name, value, to: &out)
        }
        if !HTTPStatus.forbidsBody(status) {
            if let contentLength {
                append("Content-Length", String(contentLength), to: &out)
            } else if version == .http11 {
                append("Transfer-Encoding", "chunked", to: &out)
            }
        }
        append("Date", HTTPDate.now(), to: &out)
        if !keepAlive {
            append("Connection", "close", to: &out)
        } else if version == .http10 {
            append("Connection", "keep-alive", to: &out)
        }
        out.append(contentsOf: [13, 10])
        return out
    }

    /// Head plus body (no body for HEAD or for statuses that forbid one).
    func wire(for method: HTTPMethod, keepAlive: Bool, version: HTTPVersion) -> [UInt8] {
        let body = bodyData ?? Data()
        let sendsBody = method != .head && !HTTPStatus.forbidsBody(status)
        var out = head(contentLength: body.count, keepAlive: keepAlive, version: version)
        if sendsBody && !body.isEmpty {
            out.reserveCapacity(out.count + body.count)
            out.append(contentsOf: body)
        }
        return out
    }

    /// §7.1: chunk-size CRLF chunk-data CRLF.
    static func chunk(_ data: Data) -> [UInt8] {
        var out = Array(String(data.count, radix: 16).utf8)
        out.reserveCapacity(out.count + data.count + 4)
        out.append(contentsOf: [13, 10])
        out.append(contentsOf: data)
        out.append(contentsOf: [13, 10])
        return out
    }

    /// §7.1: last-chunk, empty trailer section, CRLF.
    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    private static let serverHeaders = ["Content-Length", "Transfer-Encoding", "Connection", "Date"]

    /// A CR or LF in a handler's header would split the response (header injection); they become spaces.
    private func append(_ name: String, _ value: String, to out: inout [UInt8]) {
        for byte in name.utf8 { out.append(byte == 13 || byte == 10 || byte == 58 ? 32 : byte) }
        out.append(contentsOf: [58, 32])
        for byte in value.utf8 { out.append(byte == 13 || byte == 10 ? 32 : byte) }
        out.append(contentsOf: [13, 10])
    }
}
