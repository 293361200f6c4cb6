// Parsing JSON text into JSONValue (through Foundation's decoder) and rendering it back as compact UTF-8.
import Foundation

extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let int = try? container.decode(Int.self) {
            self = .int(int)
        } else if let double = try? container.decode(Double.self) {
            self = .double(double)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .double(let d): if d.isFinite { try container.encode(d) } else { try container.encodeNil() }
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

extension JSONValue {
    /// Parses JSON text; throws `DecodingError` on malformed input.
    public init(parsing data: Data) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Compact UTF-8 JSON, keys in reading order (`ordered`).
    public var data: Data { Data(bytes) }

    /// Compact JSON text, keys in reading order (`ordered`).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out)
        return out
    }

    func write(to out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .double(let d): JSONValue.writeNumber(d, to: &out)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, key) in JSONValue.ordered(members.keys).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                members[key]!.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Keys a person looks for first, in the order they read them (a job: what it is, how far it got, how
    /// well it does, what went wrong); then any other key alphabetically, and the bulky ones last.
    static let leadingKeys = ["id", "name", "state", "code", "field", "message", "progress", "metrics", "error",
                              "warnings", "model_id", "resumed_from_iteration", "created_at", "started_at", "finished_at"]
    static let trailingKeys = ["config", "diagnostics"]
    private static let rank: [String: Int] = Dictionary(uniqueKeysWithValues:
        leadingKeys.enumerated().map { ($1, $0 - leadingKeys.count) } + trailingKeys.enumerated().map { ($1, $0 + 1) })

    /// Object keys as rendered: leading keys in their order, other keys sorted, trailing keys last. The same
    /// object always renders the same bytes.
    static func ordered(_ keys: Dictionary<String, JSONValue>.Keys) -> [String] {
        keys.sorted { a, b in
            let ra = rank[a] ?? 0, rb = rank[b] ?? 0
            return ra != rb ? ra < rb : a < b
        }
    }

    /// Shortest round-tripping text; integral values without ".0"; non-finite as null.
    static func writeNumber(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else { out += Array("null".utf8); return }
        if value.rounded() == value && abs(value) < 1e15 {
            out += Array(String(Int(value)).utf8)
        } else {
            out += Array(value.description.utf8)
        }
    }

    /// Same as `writeNumber` for a Float (history values are stored as Float32).
    static func writeNumber(_ value: Float, to out: inout [UInt8]) {
        guard value.isFinite else { out += Array("null".utf8); return }
        if value.rounded() == value && abs(value) < 1e7 {
            out += Array(String(Int(value)).utf8)
        } else {
            out += Array(value.description.utf8)
        }
    }

    static func writeString(_ string: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                out += Array("\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
