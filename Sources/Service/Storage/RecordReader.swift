// Typed field access into a stored JSON record, throwing `StoreError.malformedRecord` with the field's path.
import Foundation

/// Reads fields of one JSON object (or array item); `path` prefixes field names in errors.
struct RecordReader {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String) {
        self.value = value
        self.path = path
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func bad(_ key: String, _ reason: String) -> StoreError {
        .malformedRecord(field: name(key), reason: reason)
    }

    func value(_ key: String) throws -> JSONValue {
        guard let v = value[key] else { throw bad(key, "is missing") }
        return v
    }

    func string(_ key: String) throws -> String {
        guard let s = try value(key).stringValue else { throw bad(key, "is not a string") }
        return s
    }

    func optionalString(_ key: String) throws -> String? {
        let v = value[key] ?? .null
        if v.isNull { return nil }
        guard let s = v.stringValue else { throw bad(key, "is not a string") }
        return s
    }

    func int(_ key: String) throws -> Int {
        guard let i = try value(key).intValue else { throw bad(key, "is not an integer") }
        return i
    }

    func optionalInt(_ key: String) throws -> Int? {
        let v = value[key] ?? .null
        if v.isNull { return nil }
        guard let i = v.intValue else { throw bad(key, "is not an integer") }
        return i
    }

    func optionalDouble(_ key: String) throws -> Double? {
        let v = value[key] ?? .null
        if v.isNull { return nil }
        guard let d = v.doubleValue else { throw bad(key, "is not a number") }
        return d
    }

    func date(_ key: String) throws -> Date {
        guard let d = RFC3339.parse(try string(key)) else { throw bad(key, "is not an RFC 3339 time") }
        return d
    }

    func optionalDate(_ key: String) throws -> Date? {
        guard let s = try optionalString(key) else { return nil }
        guard let d = RFC3339.parse(s) else { throw bad(key, "is not an RFC 3339 time") }
        return d
    }

    func object(_ key: String) throws -> RecordReader {
        guard let v = try optionalObject(key) else { throw bad(key, "is not an object") }
        return v
    }

    func optionalObject(_ key: String) throws -> RecordReader? {
        let v = value[key] ?? .null
        if v.isNull { return nil }
        guard v.objectValue != nil else { throw bad(key, "is not an object") }
        return RecordReader(v, path: name(key))
    }

    func array(_ key: String) throws -> [RecordReader] {
        guard let items = try value(key).arrayValue else { throw bad(key, "is not an array") }
        return items.enumerated().map { RecordReader($1, path: "\(name(key))[\($0)]") }
    }

    /// This value as a number, NaN when null.
    var doubleOrNaN: Double { value.doubleValue ?? .nan }

    /// This value as an integer.
    func intItem() throws -> Int {
        guard let i = value.intValue else { throw StoreError.malformedRecord(field: path, reason: "is not an integer") }
        return i
    }
}
