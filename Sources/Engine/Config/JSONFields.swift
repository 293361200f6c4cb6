// Typed, range-checked reads from one JSON object of a config, naming the dotted path on every error.
// Built on JSONSerialization's tree so unknown fields can be rejected; JSON null counts as "not given".
import Foundation

/// One JSON object of a config and its dotted path ("training").
struct JSONFields {
    let object: [String: Any]
    let path: String

    init(_ value: Any, path: String) throws {
        guard let object = value as? [String: Any] else {
            throw ConfigError(field: path, message: "must be a JSON object")
        }
        self.object = object
        self.path = path
    }

    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Rejects any key not in `allowed` (typos like `learnin_rate` name themselves).
    func rejectUnknown(_ allowed: [String]) throws {
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw ConfigError(field: field(key), message: "unknown field (allowed: \(allowed.joined(separator: ", ")))")
        }
    }

    /// The raw value, nil when absent or null.
    func value(_ key: String) -> Any? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        return value
    }

    /// A JSON number that is not a boolean.
    private func number(_ key: String) throws -> Double? {
        guard let value = value(key) else { return nil }
        guard let number = value as? NSNumber, !JSONFields.isBoolean(number) else {
            throw ConfigError(field: field(key), message: "must be a number")
        }
        return number.doubleValue
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = try number(key) else { return nil }
        guard value.rounded() == value, value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            throw ConfigError(field: field(key),
                              message: "must be an integer in \(range.lowerBound)...\(range.upperBound), got \(JSONFields.describe(value))")
        }
        return Int(value)
    }

    /// A finite number accepted by `valid`, which `rule` describes.
    func double(_ key: String, rule: String, _ valid: (Double) -> Bool) throws -> Double? {
        guard let value = try number(key) else { return nil }
        guard value.isFinite, valid(value) else {
            throw ConfigError(field: field(key), message: "must be \(rule), got \(JSONFields.describe(value))")
        }
        return value
    }

    /// A number as the user wrote it: 0 rather than 0.0, 1.5 as 1.5, 1e+300 as Swift prints it.
    static func describe(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard let number = value as? NSNumber, JSONFields.isBoolean(number) else {
            throw ConfigError(field: field(key), message: "must be true or false")
        }
        return number.boolValue
    }

    func string(_ key: String, maxLength: Int = 200) throws -> String? {
        guard let value = value(key) else { return nil }
        guard let string = value as? String else { throw ConfigError(field: field(key), message: "must be a string") }
        guard string.count <= maxLength else {
            throw ConfigError(field: field(key), message: "must be at most \(maxLength) characters")
        }
        return string
    }

    /// One of the enum's raw values, spelled exactly.
    func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws -> E? where E.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let value = E(rawValue: text) else {
            let names = E.allCases.map(\.rawValue).joined(separator: " | ")
            throw ConfigError(field: field(key), message: "must be one of \(names), got \"\(text)\"")
        }
        return value
    }

    func array(_ key: String) throws -> [Any]? {
        guard let value = value(key) else { return nil }
        guard let array = value as? [Any] else { throw ConfigError(field: field(key), message: "must be an array") }
        return array
    }

    /// JSONSerialization gives booleans as NSNumber whose Objective-C type is "c" (char).
    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }
}
