// A complete request as handlers see it: method, path, query, headers, body and the router's path parameters.
import Foundation

/// One HTTP request. `path` is the target's path as sent (still percent-encoded); `pathParameters` and
/// `query` hold decoded values.
public struct Request: Sendable {
    public var method: HTTPMethod
    /// The request target exactly as received, e.g. "/jobs?state=running".
    public var target: String
    /// The path part of the target, e.g. "/jobs/abc/history".
    public var path: String
    /// The raw query after "?", without it; nil when the target has none.
    public var queryString: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: Data
    /// Values of the matched route's `:name` segments (and "*" for a trailing wildcard), percent-decoded.
    public var pathParameters: [String: String] = [:]
    /// The peer as "ip:port", when the request came over TCP.
    public var remoteAddress: String?

    /// Builds a request in-process, e.g. for `router.handle(_:)` in tests.
    public init(method: HTTPMethod, target: String, headers: HTTPHeaders = [:], body: Data = Data(),
                version: HTTPVersion = .http11) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        (path, queryString) = Self.split(target)
    }

    init(head: RequestHead, body: Data) {
        method = head.method
        target = head.target
        version = head.version
        headers = head.headers
        self.body = body
        (path, queryString) = Self.split(head.pathAndQuery)
    }

    /// Query parameters, percent-decoded with "+" as space; the last of repeated names wins.
    public var query: [String: String] { Self.parseQuery(queryString ?? "") }

    /// Whether the client wants the connection kept open (RFC 9112 §9.3): HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool {
        version == .http10
            ? headers.hasToken("keep-alive", in: "Connection")
            : !headers.hasToken("close", in: "Connection")
    }

    private static func split(_ target: String) -> (String, String?) {
        guard let mark = target.firstIndex(of: "?") else { return (target, nil) }
        return (String(target[..<mark]), String(target[target.index(after: mark)...]))
    }
}
