// Reading JSON request bodies: the top level must be an object, every field is type- and range-checked,
// and unknown fields are rejected by name — each failure a 400 naming the field.
import Engine
import Foundation
import HTTP

/// The fields of one JSON object in a request body; `path` prefixes field names in errors.
struct RequestBody {
    let object: [String: Any]
    let path: String

    /// The body as a JSON object; an empty body is `{}` when `emptyIsObject`.
    init(_ request: Request, emptyIsObject: Bool = false) throws {
        try RequestBody.requireJSON(request)
        if request.body.isEmpty && emptyIsObject {
            self.init(object: [:], path: "")
            return
        }
        guard let tree = try? JSONTree.parse(request.body) else {
            throw APIError.invalidJSON("the body is not valid JSON")
        }
        guard let object = tree as? [String: Any] else { throw APIError.invalidJSON("the body must be a JSON object") }
        self.init(object: object, path: "")
    }

    /// 415 unless the Content-Type can carry JSON: none, application/json, `+json`, or what clients send for a
    /// JSON string by default (`curl -d`: application/x-www-form-urlencoded; `fetch`: text/plain).
    static func requireJSON(_ request: Request) throws {
        let type = (request.headers["Content-Type"] ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        guard type.isEmpty || type == "application/json" || type.hasSuffix("+json")
                || type == "application/x-www-form-urlencoded" || type == "text/plain" else {
            throw APIError.unsupportedMediaType(type, accepted: ["application/json"])
        }
    }

    init(object: [String: Any], path: String) {
        self.object = object
        self.path = path
    }

    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func bad(_ key: String, _ message: String) -> APIError { .invalidRequest(message, field: field(key)) }

    func rejectUnknown(_ allowed: Set<String>) throws {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw bad(unknown, "unknown field '\(field(unknown))'; expected one of \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// The value, nil when absent or null.
    func value(_ key: String) -> Any? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        return value
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = value(key) else { return nil }
        guard let number = RequestBody.number(value), number.rounded() == number,
              number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            throw bad(key, "must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(number)
    }

    func array(_ key: String) throws -> [Any]? {
        guard let value = value(key) else { return nil }
        guard let array = value as? [Any] else { throw bad(key, "must be an array") }
        return array
    }

    func object(_ key: String) throws -> [String: Any]? {
        guard let value = value(key) else { return nil }
        guard let object = value as? [String: Any] else { throw bad(key, "must be an object") }
        return object
    }

    /// A JSON number (not a boolean) as a Double, nil otherwise.
    static func number(_ value: Any) -> Double? {
        // JSONSerialization gives booleans as NSNumber whose Objective-C type is "c" (char).
        guard let number = value as? NSNumber, !JSONTree.isBoolean(number) else { return nil }
        return number.doubleValue
    }
}
