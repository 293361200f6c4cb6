// The job config's schemas, made from the engine's field descriptions (JobConfig.fields): each property's
// type, bounds, enum, default, label (`x-label`) and help come from the same value the parser checks with,
// so the schema and the parser cannot disagree. The page builds its form from these schemas.
import Engine
import Foundation

extension OpenAPIDocument {
    /// The schema of one config field.
    static func schema(of field: ConfigField) -> JSONValue {
        var schema = members(of: field.type, nullable: field.nullable)
        schema["description"] = .string(field.help)
        schema["x-label"] = .string(field.label)
        schema["default"] = json(field.defaultValue)
        return .object(schema)
    }

    /// The schema of a field type, null allowed when `nullable`.
    static func members(of type: ConfigFieldType, nullable: Bool) -> [String: JSONValue] {
        var schema: [String: JSONValue]
        switch type {
        case .integer(let range):
            schema = ["type": "integer", "minimum": .int(range.lowerBound), "maximum": .int(range.upperBound)]
        case .number(let bounds):
            schema = ["type": "number"]
            if let minimum = bounds.minimum { schema[bounds.minimumExclusive ? "exclusiveMinimum" : "minimum"] = .double(minimum) }
            if let maximum = bounds.maximum { schema[bounds.maximumExclusive ? "exclusiveMaximum" : "maximum"] = .double(maximum) }
        case .boolean:
            schema = ["type": "boolean"]
        case .text(let maxLength):
            schema = ["type": "string", "maxLength": .int(maxLength)]
        case .name(let maxLength):
            schema = ["type": "string", "minLength": 1, "maxLength": .int(maxLength),
                      "pattern": .string(ConfigFieldType.namePattern)]
        case .choice(let names):
            schema = ["type": "string", "enum": .array(names.map(JSONValue.string))]
        case let .integers(items, maxCount):
            schema = ["type": "array", "maxItems": .int(maxCount),
                      "items": ["type": "integer", "minimum": .int(items.lowerBound), "maximum": .int(items.upperBound)]]
        case .interval:
            schema = ["type": "array", "minItems": 2, "maxItems": 2, "items": ["type": "number"]]
        case .extent(let range):
            schema = ["oneOf": .array(extentAlternatives(range))]
        case .padding(let range):
            schema = ["oneOf": .array(extentAlternatives(range) + [["type": "string", "enum": ["same"]]])]
        case .layers(let maxCount):
            schema = ["type": "array", "maxItems": .int(maxCount),
                      "items": ["oneOf": .array(LayerType.all.map(layerSchema))]]
        case .object(let shape):
            let kinds = shape.kinds.map { kind in
                keyedSchema(type: kind.name, fields: shape.fields(of: kind), description: kind.name.map { "\($0): \(kind.help)" } ?? kind.help)
            }
            if shape.isTyped {
                schema = ["oneOf": .array(kinds)]
            } else if case .object(let members) = kinds[0] {
                schema = members
            } else {
                schema = [:]
            }
        case .pair(let bounds):
            var item: [String: JSONValue] = ["type": "number"]
            if let minimum = bounds.minimum { item[bounds.minimumExclusive ? "exclusiveMinimum" : "minimum"] = .double(minimum) }
            if let maximum = bounds.maximum { item[bounds.maximumExclusive ? "exclusiveMaximum" : "maximum"] = .double(maximum) }
            schema = ["type": "array", "minItems": 2, "maxItems": 2, "items": .object(item)]
        }
        if nullable {
            if case .array(let alternatives)? = schema["oneOf"] {
                schema["oneOf"] = .array(alternatives + [["type": "null"]])
            } else {
                schema["type"] = [schema["type"]!, "null"]
                if case .array(let names)? = schema["enum"] { schema["enum"] = .array(names + [.null]) }
            }
        }
        return schema
    }

    /// One integer for both sides, or [h, w].
    private static func extentAlternatives(_ range: ClosedRange<Int>) -> [JSONValue] {
        let side: JSONValue = ["type": "integer", "minimum": .int(range.lowerBound), "maximum": .int(range.upperBound)]
        return [side, ["type": "array", "minItems": 2, "maxItems": 2, "items": side]]
    }

    /// One layer type's object: `type` fixed to its name, its keys with their defaults.
    static func layerSchema(_ kind: LayerType) -> JSONValue {
        keyedSchema(type: kind.name, fields: kind.fields, description: "\(kind.name): \(kind.help)")
    }

    /// An object of `fields` (each with its default), and `type` fixed to `type` when there is one.
    static func keyedSchema(type: String?, fields: [LayerField], description: String) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        if let type { properties["type"] = ["type": "string", "enum": [.string(type)]] }
        for field in fields {
            var schema = members(of: field.type, nullable: field.nullable)
            schema["description"] = .string(field.help)
            if let value = field.defaultValue { schema["default"] = json(value) }
            properties[field.key] = .object(schema)
        }
        return object(properties, required: (type == nil ? [] : ["type"]) + fields.filter(\.isRequired).map(\.key),
                      description: description)
    }

    /// The properties of one section of the config (nil: the top level, without the sections).
    static func configProperties(_ section: String?) -> [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: JobConfig.fields(in: section).map { ($0.key, schema(of: $0)) })
    }

    /// The properties in the description's order, for the page's form (JSON objects have no order).
    static func configOrder(_ section: String?) -> JSONValue {
        .array(JobConfig.fields(in: section).map { .string($0.key) })
    }

    static func json(_ value: ConfigValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .number(let number): return .double(number)
        case .string(let text): return .string(text)
        case .integers(let numbers): return .array(numbers.map(JSONValue.int))
        case .numbers(let numbers): return .array(numbers.map(JSONValue.double))
        case .layers(let layers):
            // The layer objects hold only strings, integers, numbers and null.
            return (try? JSONValue(parsing: JSONSerialization.data(withJSONObject: layers.map(\.jsonObject)))) ?? .null
        case .object(let values):
            return .object(values.mapValues(json))
        }
    }

    static let configSchemas: [String: JSONValue] = [
        "ModelConfig": withOrder(object(configProperties("model"), description: "The network. Every field is optional."), "model"),
        "TrainingConfig": withOrder(object(configProperties("training"), description: "How to train. Every field is optional."), "training"),
    ]

    static let jobRequestFields: [String: JSONValue] = configProperties(nil)
        .merging(["model": ref("ModelConfig"), "training": ref("TrainingConfig")]) { $1 }

    /// `x-order`: the fields in the order the description lists them.
    static func withOrder(_ schema: JSONValue, _ section: String?) -> JSONValue {
        guard case .object(var members) = schema else { return schema }
        members["x-order"] = configOrder(section)
        return .object(members)
    }
}
