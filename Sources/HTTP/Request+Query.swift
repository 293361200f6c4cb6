// Percent-decoding (RFC 3986 §2.1) of path segments and of application/x-www-form-urlencoded queries.

extension Request {
    /// "a=1&b=x%20y&c" → ["a": "1", "b": "x y", "c": ""].
    static func parseQuery(_ query: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = percentDecode(parts[0], plusIsSpace: true), !name.isEmpty else { continue }
            result[name] = parts.count > 1 ? (percentDecode(parts[1], plusIsSpace: true) ?? String(parts[1])) : ""
        }
        return result
    }

    /// Decodes %XX escapes; nil when an escape is malformed or the bytes are not UTF-8.
    static func percentDecode<S: StringProtocol>(_ text: S, plusIsSpace: Bool = false) -> String? {
        let utf8 = Array(text.utf8)
        guard utf8.contains(UInt8(ascii: "%")) || (plusIsSpace && utf8.contains(UInt8(ascii: "+"))) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < utf8.count, let high = hexDigit(utf8[index + 1]), let low = hexDigit(utf8[index + 2]) else {
                    return nil
                }
                bytes.append(UInt8(high << 4 | low))
                index += 3
            } else {
                bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

/// The value of one hexadecimal digit (RFC 5234 HEXDIG, either case), or nil.
func hexDigit(_ byte: UInt8) -> Int? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A") + 10)
    default: return nil
    }
}
