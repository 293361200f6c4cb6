// A parsed request line and header section, and what they say about the body and the connection.

/// The version of a request; any HTTP/1.x with x ≥ 1 is handled as 1.1 (RFC 9110 §6.2).
public struct HTTPVersion: Equatable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public static let http10 = HTTPVersion(major: 1, minor: 0)
    public static let http11 = HTTPVersion(major: 1, minor: 1)
    public var description: String { "HTTP/\(major).\(minor)" }
}

/// How the body of a request is delimited (RFC 9112 §6.3).
enum Framing: Equatable {
    case length(Int)
    case chunked
}

/// Everything before the body.
struct RequestHead {
    var method: HTTPMethod
    /// The request target as sent (origin-form, absolute-form or "*").
    var target: String
    /// The path and query of the target (absolute-form reduced to its path).
    var pathAndQuery: String
    var version: HTTPVersion
    var headers: HTTPHeaders

    /// RFC 9110 §10.1.1: the client waits for 100 Continue before sending the body.
    var expectsContinue: Bool {
        version == .http11 && headers["Expect"].map { HTTPHeaders.equalsIgnoringCase($0.trimmingSpaces, "100-continue") } == true
    }

    /// The body's framing by RFC 9112 §6.3, after the Host checks of §3.2; throws on any ambiguity.
    func framing(maxBodyBytes: Int) throws -> Framing {
        let hosts = headers.values(for: "Host").count
        if hosts > 1 { throw ParseError.multipleHosts }
        if hosts == 0 && version == .http11 { throw ParseError.missingHost }

        let codings = headers.values(for: "Transfer-Encoding")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpaces.lowercased() }
            .filter { !$0.isEmpty }
        let lengths = headers.values(for: "Content-Length")
        if !codings.isEmpty || headers.contains("Transfer-Encoding") {
            // §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
            if version == .http10 { throw ParseError.transferEncodingInHTTP10 }
            // §6.3 ¶3: both present smells of request smuggling; reject rather than pick one.
            if !lengths.isEmpty { throw ParseError.contentLengthWithTransferEncoding }
            if let unknown = codings.first(where: { $0 != "chunked" }) {
                throw ParseError.unsupportedTransferCoding(unknown)
            }
            // §6.1: chunked at most once and last; §6.3 ¶4: otherwise the length is unknowable.
            guard codings == ["chunked"] else { throw ParseError.chunkedNotFinal }
            return .chunked
        }
        guard !lengths.isEmpty else { return .length(0) }
        // §6.3 ¶5: a list of identical values may be taken as one; anything else is invalid.
        var length: Int?
        for item in lengths.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let digits = item.trimmingSpaces
            guard !digits.isEmpty, digits.count <= 18, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let value = Int(digits), length == nil || length == value else {
                throw ParseError.invalidContentLength
            }
            length = value
        }
        guard let length else { throw ParseError.invalidContentLength }
        if length > maxBodyBytes { throw ParseError.bodyTooLarge(limit: maxBodyBytes) }
        return .length(length)
    }
}
