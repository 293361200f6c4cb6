// Typed reading of JSON values, the one way the service reads them: stored records (jobs, models) and request
// bodies alike. Every failure is a `JSONReadError` naming the field by its path (`progress.epochs`,
// `images[2][300]`); the caller makes it its own domain's error: a record's is `StoreError.malformedRecord`,
// a request's is a 400 naming the field (APIError.init(_:)).
import Foundation

/// A field that is missing or not what it must be: `field` is its path, `reason` says what is wrong
/// ("is missing", "must be an integer in 1...64").
struct JSONReadError: Error, Equatable, CustomStringConvertible {
    let field: String
    let reason: String

    var description: String { "\(field) \(reason)" }
}

/// One JSON value with its path, and typed reads of its members. An optional read takes a missing member and
/// null alike as "not given"; a required one says "is missing".
struct JSONReader {
    let value: JSONValue
    /// Where `value` sits, e.g. "progress" or "images[2]"; "" at the top level.
    let path: String

    init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    /// The path of a member: "progress.epochs", or the bare key at the top level.
    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// A failure of the member `key` (nil: of this value itself).
    func failure(_ key: String?, _ reason: String) -> JSONReadError {
        JSONReadError(field: key.map(name) ?? path, reason: reason)
    }

    /// The member, nil when missing or null.
    func member(_ key: String) -> JSONValue? {
        guard let member = value[key], member != .null else { return nil }
        return member
    }

    /// The keys of this object, sorted; [] for anything else.
    var keys: [String] { value.objectValue?.keys.sorted() ?? [] }

    /// Fails on the first key (sorted) that is not one of `allowed`.
    func rejectUnknown(_ allowed: Set<String>) throws {
        if let unknown = keys.first(where: { !allowed.contains($0) }) {
            throw failure(unknown, "is an unknown field; expected one of \(allowed.sorted().joined(separator: ", "))")
        }
    }

    // MARK: - Required members

    func value(_ key: String) throws -> JSONValue {
        guard let member = value[key] else { throw failure(key, "is missing") }
        return member
    }

    func string(_ key: String) throws -> String {
        guard let text = try value(key).stringValue else { throw failure(key, "must be a string") }
        return text
    }

    func int(_ key: String) throws -> Int {
        guard let number = try value(key).intValue else { throw failure(key, "must be an integer") }
        return number
    }

    func date(_ key: String) throws -> Date {
        guard let date = RFC3339.parse(try string(key)) else { throw failure(key, "must be an RFC 3339 time") }
        return date
    }

    func object(_ key: String) throws -> JSONReader {
        _ = try value(key)
        guard let object = try optionalObject(key) else { throw failure(key, "must be an object") }
        return object
    }

    func array(_ key: String) throws -> [JSONReader] {
        _ = try value(key)
        guard let items = try optionalArray(key) else { throw failure(key, "must be an array") }
        return items
    }

    // MARK: - Optional members (missing or null: nil)

    func optionalString(_ key: String) throws -> String? {
        guard let member = member(key) else { return nil }
        guard let text = member.stringValue else { throw failure(key, "must be a string") }
        return text
    }

    /// An integer, within `range` when given.
    func optionalInt(_ key: String, in range: ClosedRange<Int>? = nil) throws -> Int? {
        guard let member = member(key) else { return nil }
        guard let number = member.intValue, range?.contains(number) ?? true else {
            throw failure(key, "must be an integer" + (range.map { " in \($0.lowerBound)...\($0.upperBound)" } ?? ""))
        }
        return number
    }

    func optionalDouble(_ key: String) throws -> Double? {
        guard let member = member(key) else { return nil }
        guard let number = member.doubleValue else { throw failure(key, "must be a number") }
        return number
    }

    func optionalDate(_ key: String) throws -> Date? {
        guard let text = try optionalString(key) else { return nil }
        guard let date = RFC3339.parse(text) else { throw failure(key, "must be an RFC 3339 time") }
        return date
    }

    func optionalObject(_ key: String) throws -> JSONReader? {
        guard let member = member(key) else { return nil }
        guard member.objectValue != nil else { throw failure(key, "must be an object") }
        return JSONReader(member, path: name(key))
    }

    /// The items, each with its path (`key[i]`).
    func optionalArray(_ key: String) throws -> [JSONReader]? {
        guard let member = member(key) else { return nil }
        guard let items = member.arrayValue else { throw failure(key, "must be an array") }
        return items.enumerated().map { JSONReader($1, path: "\(name(key))[\($0)]") }
    }

    // MARK: - This value

    /// This value as a number, NaN when null.
    var doubleOrNaN: Double { value.doubleValue ?? .nan }

    func intItem() throws -> Int {
        guard let number = value.intValue else { throw failure(nil, "must be an integer") }
        return number
    }

    /// This value as an array of numbers in `range`; a bad item is named (`pixels[300]`). Item paths are made
    /// only for a failure, so 784,000 pixels read quickly.
    func numbers(in range: ClosedRange<Double>) throws -> [Double] {
        guard let items = value.arrayValue else { throw failure(nil, "must be an array") }
        return try items.enumerated().map { index, item in
            guard let number = item.doubleValue, range.contains(number) else {
                throw JSONReadError(field: "\(path)[\(index)]",
                                    reason: "must be a number in \(Self.text(range.lowerBound))...\(Self.text(range.upperBound))")
            }
            return number
        }
    }
}

extension JSONReader {
    /// A bound as a message says it: 255, not 255.0.
    static func text(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
