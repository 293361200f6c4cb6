// Reading JSON request bodies: the Content-Type must be one that carries JSON, and the top level must be an
// object, read with the service's one JSON reader (JSONReader); a field that does not read is a 400 naming it
// (APIError.init(_:) makes JSONReadError one).
import Foundation
import HTTP

enum RequestBody {
    /// The body as a JSON object; an empty body is `{}` when `emptyIsObject`.
    static func object(_ request: Request, emptyIsObject: Bool = false) throws -> JSONReader {
        try requireJSON(request)
        if request.body.isEmpty && emptyIsObject { return JSONReader([:]) }
        guard let value = try? JSONValue(parsing: request.body) else {
            throw APIError.invalidJSON("the body is not valid JSON")
        }
        guard value.objectValue != nil else { throw APIError.invalidJSON("the body must be a JSON object") }
        return JSONReader(value)
    }

    /// 415 unless the Content-Type can carry JSON: none, application/json, `+json`, or what clients send for a
    /// JSON string by default (`curl -d`: application/x-www-form-urlencoded; `fetch`: text/plain).
    static func requireJSON(_ request: Request, alsoAccepted: [String] = []) throws {
        let type = mediaType(request)
        guard type.isEmpty || type == "application/json" || type.hasSuffix("+json")
                || type == "application/x-www-form-urlencoded" || type == "text/plain" else {
            throw APIError.unsupportedMediaType(type, accepted: ["application/json"] + alsoAccepted)
        }
    }

    /// The Content-Type without parameters, lowercased; empty when there is none.
    static func mediaType(_ request: Request) -> String {
        (request.headers["Content-Type"] ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
    }
}
