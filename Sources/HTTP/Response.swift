// A response: status, headers and either a complete body or a stream of server-sent events.
import Foundation

/// What a handler returns. The server adds `Content-Length`, `Date` and `Connection` when writing it.
public struct Response {
    public enum Body {
        case data(Data)
        /// Sent chunked; the closure receives the stream once the head is on the wire.
        case stream((EventStream) -> Void)
    }

    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body

    public init(status: Int = 200, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = .data(body)
    }

    /// The complete body; nil for a stream.
    public var bodyData: Data? {
        if case let .data(data) = body { return data }
        return nil
    }

    /// Shared encoder (sorted keys, so output is stable): `encode` is safe to call from many threads at once.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    /// `value` as `application/json`; an encoding failure becomes a JSON 500.
    public static func json<T: Encodable>(_ value: T, status: Int = 200, encoder: JSONEncoder? = nil) -> Response {
        do {
            let data = try (encoder ?? Self.encoder).encode(value)
            return Response(status: status, headers: ["Content-Type": "application/json"], body: data)
        } catch {
            return HTTPError.internalError(error).response
        }
    }

    /// A JSONSerialization object (`[String: Any]`, `[Any]`, …) as `application/json`.
    public static func json(_ object: Any, status: Int = 200) -> Response {
        guard JSONSerialization.isValidJSONObject(object),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]) else {
            return HTTPError(500, code: "internal_error", message: "The response is not valid JSON.").response
        }
        return Response(status: status, headers: ["Content-Type": "application/json"], body: data)
    }

    /// Plain text (or any `contentType`) from a string, UTF-8.
    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: ["Content-Type": contentType], body: Data(text.utf8))
    }

    /// A `text/event-stream`. `start` runs on a worker once the head is sent; it may return at once and keep
    /// the stream to send events later from any thread. The connection closes when the stream does.
    public static func eventStream(headers: HTTPHeaders = [:], _ start: @escaping (EventStream) -> Void) -> Response {
        var merged: HTTPHeaders = ["Content-Type": "text/event-stream", "Cache-Control": "no-cache"]
        for (name, value) in headers { merged[name] = value }
        var response = Response(status: 200, headers: merged)
        response.body = .stream(start)
        return response
    }
}
