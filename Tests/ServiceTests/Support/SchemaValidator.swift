// A small JSON Schema 2020-12 (OpenAPI 3.1) subset validator, written here from the specification so that the
// served document can be checked against the parser without trusting the code that built it: type (one or a
// list, "null" among them), enum, bounds (numeric exclusiveMinimum/Maximum), string length and pattern, items
// and their count, properties with additionalProperties false, $ref, allOf, anyOf and oneOf.
import Foundation
@testable import Service

struct SchemaValidator {
    let document: JSONValue

    func resolve(_ schema: JSONValue) -> JSONValue {
        guard let ref = schema["$ref"]?.stringValue, ref.hasPrefix("#/components/schemas/") else { return schema }
        return document["components"]?["schemas"]?[String(ref.dropFirst("#/components/schemas/".count))] ?? .null
    }

    func isValid(_ value: JSONValue, _ raw: JSONValue) -> Bool {
        let schema = resolve(raw)
        if let all = schema["allOf"]?.arrayValue, !all.allSatisfy({ isValid(value, $0) }) { return false }
        if let any = schema["anyOf"]?.arrayValue, !any.contains(where: { isValid(value, $0) }) { return false }
        if let one = schema["oneOf"]?.arrayValue, one.filter({ isValid(value, $0) }).count != 1 { return false }
        if let values = schema["enum"]?.arrayValue, !values.contains(value) { return false }
        guard let typeNames = schema["type"].map({ $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue ?? ""] }) else {
            return true
        }
        return typeNames.contains { isValid(value, type: $0, schema) }
    }

    func isValid(_ value: JSONValue, type: String, _ schema: JSONValue) -> Bool {
        switch type {
        case "null": return value == .null
        case "integer":
            // As JSON Schema since draft 6 says: any number with a zero fractional part (1.0 too).
            guard let number = value.doubleValue, number.rounded() == number else { return false }
            return inBounds(number, schema)
        case "number":
            guard let number = value.doubleValue else { return false }
            return inBounds(number, schema)
        case "boolean": return value.boolValue != nil
        case "string":
            guard let text = value.stringValue else { return false }
            if let min = schema["minLength"]?.intValue, text.count < min { return false }
            if let max = schema["maxLength"]?.intValue, text.count > max { return false }
            if let pattern = schema["pattern"]?.stringValue {
                guard text.range(of: pattern, options: .regularExpression) != nil else { return false }
            }
            return true
        case "array":
            guard let items = value.arrayValue else { return false }
            if let min = schema["minItems"]?.intValue, items.count < min { return false }
            if let max = schema["maxItems"]?.intValue, items.count > max { return false }
            return schema["items"].map { item in items.allSatisfy { isValid($0, item) } } ?? true
        case "object":
            guard let members = value.objectValue else { return false }
            let properties = schema["properties"]?.objectValue ?? [:]
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil { return false }
            for (name, member) in members {
                if let property = properties[name] {
                    if !isValid(member, property) { return false }
                } else if schema["additionalProperties"] == .bool(false) {
                    return false
                }
            }
            return true
        default: return false
        }
    }

    func inBounds(_ number: Double, _ schema: JSONValue) -> Bool {
        if let min = schema["minimum"]?.doubleValue, number < min { return false }
        if let min = schema["exclusiveMinimum"]?.doubleValue, number <= min { return false }
        if let max = schema["maximum"]?.doubleValue, number > max { return false }
        if let max = schema["exclusiveMaximum"]?.doubleValue, number >= max { return false }
        return true
    }
}
