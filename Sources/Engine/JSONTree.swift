// The one JSON reader of the engine and the service: JSON text to a Foundation tree ([String: Any], [Any],
// String, NSNumber, NSNull) read through JSONDecoder, whose number parsing is exact. JSONSerialization's
// reader on Linux is not: it reads 0.9999999999999999 as 1 and 0.30000000000000004 as 0.3000000000000001,
// so a learning rate or a momentum could change between the request and the job.
import Foundation

public enum JSONTree {
    /// The tree of `data`; booleans are NSNumbers that `isBoolean` tells from numbers.
    public static func parse(_ data: Data) throws -> Any {
        do {
            return try JSONDecoder().decode(Node.self, from: data).tree
        } catch let DecodingError.dataCorrupted(context) {
            throw JSONTreeError(reason: (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                                ?? context.debugDescription)
        } catch {
            throw JSONTreeError(reason: "\(error)")
        }
    }

    /// Whether a tree's NSNumber is a JSON true or false (Objective-C type "c") rather than a number.
    public static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    /// A tree's JSON number as a Double; nil for true, false and anything not a number. The one place that
    /// tells booleans from numbers in a tree.
    public static func number(_ value: Any) -> Double? {
        guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
        return number.doubleValue
    }

    private struct Node: Decodable {
        let tree: Any

        init(from decoder: Decoder) throws {
            if var array = try? decoder.unkeyedContainer() {
                var items: [Any] = []
                while !array.isAtEnd { items.append(try array.decode(Node.self).tree) }
                tree = items
            } else if let object = try? decoder.container(keyedBy: Key.self) {
                var members: [String: Any] = [:]
                for key in object.allKeys { members[key.stringValue] = try object.decode(Node.self, forKey: key).tree }
                tree = members
            } else {
                let value = try decoder.singleValueContainer()
                if value.decodeNil() {
                    tree = NSNull()
                } else if let flag = try? value.decode(Bool.self) {
                    tree = NSNumber(value: flag)
                } else if let integer = try? value.decode(Int.self) {
                    tree = NSNumber(value: integer)
                } else if let number = try? value.decode(Double.self) {
                    tree = NSNumber(value: number)
                } else {
                    tree = try value.decode(String.self)
                }
            }
        }
    }

    private struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}

/// JSON text that does not parse; `reason` has the place when the decoder gave one.
public struct JSONTreeError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
