// A JSONValue as the Foundation tree the engine reads (JobConfig(json:), Model(json:)): the same tree
// JSONTree.parse gives for the value's text, so a request read once as JSONValue needs no second parse.
import Foundation

extension JSONValue {
    /// [String: Any], [Any], String, NSNumber (booleans as JSONTree makes them) or NSNull.
    public var tree: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let flag): return NSNumber(value: flag)
        case .int(let number): return NSNumber(value: number)
        case .double(let number): return NSNumber(value: number)
        case .string(let text): return text
        case .array(let items): return items.map(\.tree)
        case .object(let members): return members.mapValues(\.tree)
        }
    }
}
