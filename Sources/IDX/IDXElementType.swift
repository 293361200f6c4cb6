// The six IDX element types, keyed by the magic number's third byte, with their on-disk sizes.

/// An IDX element type; the raw value is the type code in the magic number.
public enum IDXElementType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case ubyte = 0x08
    case byte = 0x09
    case short = 0x0B
    case int = 0x0C
    case float = 0x0D
    case double = 0x0E

    /// Bytes per element on disk (big-endian).
    public var size: Int {
        switch self {
        case .ubyte, .byte: return 1
        case .short: return 2
        case .int, .float: return 4
        case .double: return 8
        }
    }

    public var description: String {
        switch self {
        case .ubyte: return "ubyte"
        case .byte: return "byte"
        case .short: return "short"
        case .int: return "int"
        case .float: return "float"
        case .double: return "double"
        }
    }
}
