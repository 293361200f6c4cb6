// An error a handler throws to answer with a status; it renders itself as the project's JSON error shape.
import Foundation

/// `{"error": {"code": "...", "message": "...", "field": "..."}}` with `status`; `field` is optional.
public struct HTTPError: Error, Equatable, Sendable, CustomStringConvertible {
    public var status: Int
    /// Machine-readable, snake_case, e.g. "invalid_config".
    public var code: String
    public var message: String
    /// The offending input field, e.g. "training.epochs".
    public var field: String?
    /// Extra response headers (`Allow` for 405, `Retry-After` for 429).
    public var headers: HTTPHeaders

    public init(_ status: Int, code: String, message: String, field: String? = nil, headers: HTTPHeaders = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers
    }

    public static func badRequest(_ code: String, _ message: String, field: String? = nil) -> HTTPError {
        HTTPError(400, code: code, message: message, field: field)
    }

    public static func notFound(_ message: String = "Not found.") -> HTTPError {
        HTTPError(404, code: "not_found", message: message)
    }

    /// 405 with `Allow` listing the methods the path accepts (RFC 9110 §15.5.6).
    public static func methodNotAllowed(_ method: HTTPMethod, allowed: [HTTPMethod]) -> HTTPError {
        HTTPError(405, code: "method_not_allowed", message: "\(method) is not allowed here.",
                  headers: ["Allow": allowed.map(\.rawValue).joined(separator: ", ")])
    }

    /// A 500 for an error that is not an HTTPError.
    public static func internalError(_ error: Error) -> HTTPError {
        HTTPError(500, code: "internal_error", message: String(describing: error))
    }

    /// The JSON response for this error.
    public var response: Response {
        var response = Response.json(Envelope(error: Body(code: code, message: message, field: field)), status: status)
        for (name, value) in headers { response.headers[name] = value }
        return response
    }

    public var description: String { "\(status) \(code): \(message)" }

    private struct Envelope: Encodable { let error: Body }
    private struct Body: Encodable { let code: String; let message: String; let field: String? }
}
