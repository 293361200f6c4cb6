// One response as the client read it: status, headers in arrival order, and the body (chunked decoded).
import Foundation

/// A response to a client request.
public struct ClientResponse: Sendable {
    /// `HTTP/1.1` or whatever version the status line named.
    public let version: String
    public let status: Int
    /// The reason phrase (`OK`, `Not Found`, ...), possibly empty.
    public let reason: String
    public let headers: HTTPHeaders
    public let body: Data

    public init(version: String = "HTTP/1.1", status: Int, reason: String = "", headers: HTTPHeaders, body: Data) {
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}
