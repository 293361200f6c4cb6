// What values a config field takes, and how one JSON value is checked against it. Each check's message says
// what the field must be in the words the README and the OpenAPI descriptions use.
import Foundation

public enum ConfigFieldType: Equatable, Sendable {
    case integer(ClosedRange<Int>)
    case number(NumberBounds)
    case boolean
    /// Free text of at most this many characters.
    case text(maxLength: Int)
    /// A folder name: letters, digits, '_', '-' or '.', not starting with '.'.
    case name(maxLength: Int)
    /// Exactly one of these strings.
    case choice([String])
    /// A list of at most `maxCount` integers, each in `items`.
    case integers(items: ClosedRange<Int>, maxCount: Int)
    /// Two finite numbers, the ends of an interval, in either order.
    case interval
    /// A height and width: one integer for both, or [h, w], each in the range (read as `.integers([h, w])`).
    case extent(ClosedRange<Int>)
    /// An extent, or the string "same" (read as `.string("same")`).
    case padding(ClosedRange<Int>)
    /// At most `maxCount` layer objects, each with a `type` of LayerType.all and that kind's keys.
    case layers(maxCount: Int)
    /// An object of the shape's keys (read as `.object`).
    case object(ConfigObjectShape)
    /// Exactly two numbers, each within the bounds (read as `.numbers`).
    case pair(NumberBounds)

    /// The pattern of a `name` (also the OpenAPI `pattern`).
    public static let namePattern = "^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"

    /// What a value must be, as the 400 says it: "an integer in 1...1000", "one of sgd | momentum | adam".
    public var rule: String {
        switch self {
        case .integer(let range): return "an integer in \(range.lowerBound)...\(range.upperBound)"
        case .number(let bounds): return bounds.rule
        case .boolean: return "true or false"
        case .text(let maxLength): return "a string of at most \(maxLength) characters"
        case .name(let maxLength):
            return "a name of at most \(maxLength) letters, digits, '_', '-' or '.', not starting with '.'"
        case .choice(let names): return "one of \(names.joined(separator: " | "))"
        case let .integers(items, maxCount):
            return "an array of at most \(maxCount) integers in \(items.lowerBound)...\(items.upperBound)"
        case .interval: return "[a, b]: two finite numbers"
        case .extent(let range): return "an integer in \(range.lowerBound)...\(range.upperBound), or [h, w] of two"
        case .padding(let range):
            return "an integer in \(range.lowerBound)...\(range.upperBound), [h, w] of two, or \"same\""
        case .layers(let maxCount):
            return "an array of at most \(maxCount) layer objects, each with a type of "
                + LayerType.all.map(\.name).joined(separator: " | ")
        case .object(let shape):
            return "a \(shape.noun) object" + (shape.isTyped ? " with a type of \(shape.typeNames)" : "")
        case .pair(let bounds):
            return "[a, b]: two numbers, each " + (bounds.rule.hasPrefix("a ") ? String(bounds.rule.dropFirst(2)) : bounds.rule)
        }
    }

    /// Checks one JSON value (from JSONSerialization, not null) and returns it typed; throws the field's 400.
    func read(_ value: Any, field: String) throws -> ConfigValue {
        func reject(_ got: String? = nil) -> ConfigError {
            ConfigError(field: field, message: "must be \(rule)" + (got.map { ", got \($0)" } ?? ""))
        }
        switch self {
        case .integer(let range):
            guard let number = Self.number(value) else { throw reject() }
            guard number.rounded() == number, number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
                throw reject(NumberBounds.text(number))
            }
            return .int(Int(number))
        case .number(let bounds):
            guard let number = Self.number(value) else { throw reject() }
            guard bounds.contains(number) else { throw reject(NumberBounds.text(number)) }
            return .number(number)
        case .boolean:
            guard let number = value as? NSNumber, JSONTree.isBoolean(number) else { throw reject() }
            return .bool(number.boolValue)
        case .text(let maxLength):
            guard let text = value as? String else { throw reject() }
            guard text.count <= maxLength else { throw reject("\(text.count) characters") }
            return .string(text)
        case .name(let maxLength):
            guard let text = value as? String else { throw reject() }
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_-."))
            guard !text.isEmpty, text.count <= maxLength, !text.hasPrefix("."), text.allSatisfy(\.isASCII),
                  text.unicodeScalars.allSatisfy(allowed.contains) else { throw reject("\"\(text.prefix(80))\"") }
            return .string(text)
        case .choice(let names):
            guard let text = value as? String else { throw reject() }
            guard names.contains(text) else { throw reject("\"\(text.prefix(80))\"") }
            return .string(text)
        case let .integers(items, maxCount):
            guard let array = value as? [Any] else { throw reject() }
            guard array.count <= maxCount else { throw reject("\(array.count) of them") }
            return .integers(try array.enumerated().map { index, item in
                guard let number = Self.number(item), number.rounded() == number,
                      number >= Double(items.lowerBound), number <= Double(items.upperBound) else {
                    throw ConfigError(field: "\(field)[\(index)]",
                                      message: "must be an integer in \(items.lowerBound)...\(items.upperBound)")
                }
                return Int(number)
            })
        case .interval:
            guard let array = value as? [Any], array.count == 2 else { throw reject() }
            let numbers = array.compactMap(Self.number)
            guard numbers.count == 2, numbers.allSatisfy(\.isFinite) else { throw reject() }
            return .numbers(numbers)
        case .extent(let range):
            let sides: [Any] = Self.number(value) != nil ? [value, value] : (value as? [Any] ?? [])
            guard sides.count == 2 else { throw reject() }
            let numbers = sides.compactMap(Self.number)
            guard numbers.count == 2, numbers.allSatisfy({ $0.rounded() == $0 && range.contains(Int(exactly: $0) ?? range.lowerBound - 1) }) else {
                throw reject()
            }
            return .integers(numbers.map { Int($0) })
        case .padding(let range):
            if let text = value as? String {
                guard text == "same" else { throw reject("\"\(text.prefix(80))\"") }
                return .string(text)
            }
            do { return try ConfigFieldType.extent(range).read(value, field: field) } catch { throw reject() }
        case .layers(let maxCount):
            guard let array = value as? [Any] else { throw reject() }
            guard array.count <= maxCount else { throw reject("\(array.count) of them") }
            return .layers(try array.enumerated().map { try LayerSpec(json: $1, field: "\(field)[\($0)]") })
        case .object(let shape):
            return .object(try shape.read(value, field: field))
        case .pair(let bounds):
            guard let array = value as? [Any], array.count == 2 else { throw reject() }
            return .numbers(try array.enumerated().map { index, item in
                guard let number = Self.number(item), bounds.contains(number) else {
                    throw ConfigError(field: "\(field)[\(index)]", message: "must be \(bounds.rule)")
                }
                return number
            })
        }
    }

    /// A JSON number that is not a boolean.
    static func number(_ value: Any) -> Double? { JSONTree.number(value) }

}
