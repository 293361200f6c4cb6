// A config field's value as the description reads and writes it: what JSON can carry, already typed.
import Foundation

/// One field's value: null (not set, for fields that may be unset), or the field type's own kind.
public enum ConfigValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case integers([Int])
    case numbers([Double])
    case layers([LayerSpec])
    /// An object field's keys and values (`type` included for a typed shape).
    case object([String: ConfigValue])

    /// The value as a JSONSerialization object (NSNull for null).
    public var jsonObject: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let value): return value
        case .int(let value): return value
        case .number(let value): return value
        case .string(let value): return value
        case .integers(let values): return values
        case .numbers(let values): return values
        case .layers(let layers): return layers.map { $0.jsonObject }
        case .object(let values): return values.mapValues(\.jsonObject)
        }
    }
}
