// Header fields in arrival order with case-insensitive lookup (RFC 9110 §5.1: field names are case-insensitive).

/// An ordered list of header fields; lookups ignore the case of names.
public struct HTTPHeaders: Sequence, ExpressibleByDictionaryLiteral, Equatable, Sendable, CustomStringConvertible {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of `name`, or nil. Setting replaces every field of that name (nil removes them).
    public subscript(name: String) -> String? {
        get { fields.first { Self.equalsIgnoringCase($0.name, name) }?.value }
        set {
            remove(name)
            if let newValue { fields.append((name, newValue)) }
        }
    }

    /// Every value of `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool {
        fields.contains { Self.equalsIgnoringCase($0.name, name) }
    }

    /// Appends a field, keeping any of the same name (e.g. several `Set-Cookie`).
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { Self.equalsIgnoringCase($0.name, name) }
    }

    /// Whether the comma-separated list in the `name` fields holds `token`, ignoring case
    /// (`Connection: keep-alive, Upgrade` holds `upgrade`).
    public func hasToken(_ token: String, in name: String) -> Bool {
        for value in values(for: name) {
            for item in value.split(separator: ",") {
                if Self.equalsIgnoringCase(item.trimmingSpaces, token) { return true }
            }
        }
        return false
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public var description: String {
        fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }

    /// ASCII case-insensitive comparison without allocating.
    static func equalsIgnoringCase<A: StringProtocol, B: StringProtocol>(_ a: A, _ b: B) -> Bool {
        let a = a.utf8, b = b.utf8
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            let lowerX = x | 0x20, lowerY = y | 0x20
            guard lowerX == lowerY, lowerX >= UInt8(ascii: "a"), lowerX <= UInt8(ascii: "z") else { return false }
        }
        return true
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's OWS).
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let string = Substring(self)
        guard let first = string.firstIndex(where: { !isSpace($0) }),
              let last = string.lastIndex(where: { !isSpace($0) }) else { return "" }
        return string[first...last]
    }
}
