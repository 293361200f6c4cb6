// The service's error domain: every failure a client can see, as a status plus the one JSON shape
// `{"error": {"code", "message", "field"?}}`. The HTTP wiring turns it into a response.
import Foundation

/// A client-visible error: HTTP status, stable machine code, human message, and the offending field if any.
public struct APIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// HTTP status code (400, 401, 404, 409, 413, 415, 429, 500, 503).
    public let status: Int
    /// Stable snake_case code, e.g. `invalid_config`.
    public let code: String
    public let message: String
    /// Dotted path of the offending request field, e.g. `training.epochs`.
    public let field: String?
    /// Seconds for a `Retry-After` header (429 and 503).
    public let retryAfter: Int?

    public init(status: Int, code: String, message: String, field: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
    }

    /// `{"error": {"code": ..., "message": ..., "field": ...}}`; `field` only when known.
    public var jsonObject: JSONValue {
        var body: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
        if let field { body["field"] = .string(field) }
        return ["error": .object(body)]
    }

    /// The JSON body as UTF-8 bytes.
    public var body: Data { jsonObject.data }

    /// Headers the response must carry besides Content-Type (`Retry-After`).
    public var headers: [(String, String)] {
        retryAfter.map { [("Retry-After", String($0))] } ?? []
    }

    public var description: String {
        "\(status) \(code): \(message)" + (field.map { " (field \($0))" } ?? "")
    }
}

// MARK: - The errors the service raises

extension APIError {
    public static func invalidConfig(field: String, message: String) -> APIError {
        APIError(status: 400, code: "invalid_config", message: message, field: field)
    }

    public static func invalidRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(status: 400, code: "invalid_request", message: message, field: field)
    }

    public static func invalidJSON(_ message: String) -> APIError {
        APIError(status: 400, code: "invalid_json", message: message)
    }

    public static func invalidImage(_ error: ImageError) -> APIError {
        APIError(status: 400, code: "invalid_image", message: error.message)
    }

    public static let unauthorized = APIError(
        status: 401, code: "unauthorized", message: "this request needs the header 'Authorization: Bearer <token>'")

    public static func notFound(_ resource: String, id: String) -> APIError {
        APIError(status: 404, code: "not_found", message: "no \(resource) with id '\(id)'")
    }

    /// A request field names something that does not exist (a dataset, a model): 404 naming the field, as the
    /// same name in a path would be.
    public static func referenceNotFound(field: String, _ message: String) -> APIError {
        APIError(status: 404, code: "not_found", message: message, field: field)
    }

    public static func routeNotFound(method: String, path: String) -> APIError {
        APIError(status: 404, code: "not_found", message: "no route for \(method) \(path)")
    }

    public static func methodNotAllowed(method: String, path: String) -> APIError {
        APIError(status: 405, code: "method_not_allowed", message: "\(path) does not accept \(method)")
    }

    /// The job is in a state that forbids the operation, e.g. deleting a running job.
    public static func conflict(_ message: String) -> APIError {
        APIError(status: 409, code: "conflict", message: message)
    }

    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: 413, code: "payload_too_large", message: "the request body exceeds \(limit) bytes")
    }

    public static func unsupportedMediaType(_ contentType: String, accepted: [String]) -> APIError {
        APIError(status: 415, code: "unsupported_media_type",
                 message: "content type '\(contentType)' is not accepted here; use one of \(accepted.joined(separator: ", "))")
    }

    /// 429: `needed` jobs do not fit the `room` left in a queue of `capacity` waiting jobs.
    public static func queueFull(capacity: Int, retryAfter: Int, needed: Int = 1, room: Int = 0) -> APIError {
        let message = needed == 1 || room == 0
            ? "the job queue is full (at most \(capacity) jobs wait); retry later"
            : "the job queue has room for \(room) more job(s) (at most \(capacity) wait) but this request needs \(needed); retry later"
        return APIError(status: 429, code: "queue_full", message: message, retryAfter: retryAfter)
    }

    public static func internalError(_ message: String) -> APIError {
        APIError(status: 500, code: "internal_error", message: message)
    }

    public static func unavailable(_ reason: String, retryAfter: Int? = nil) -> APIError {
        APIError(status: 503, code: "unavailable", message: reason, retryAfter: retryAfter)
    }
}
