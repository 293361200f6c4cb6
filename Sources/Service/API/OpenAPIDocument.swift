// The OpenAPI 3.1 description of the whole API (served at GET /openapi.json), built in code from small
// schema helpers. Paths are in OpenAPIDocument+Paths.swift, schemas in OpenAPIDocument+Schemas.swift, a model's
// evaluation in OpenAPIDocument+Evaluation.swift, experiments in OpenAPIDocument+Experiments.swift.
// 3.1's schemas are JSON Schema 2020-12, whose data model is JSON's: 1.0 is an integer, as the server reads it.
import Foundation

/// The service's OpenAPI 3.1 document.
public enum OpenAPIDocument {
    /// The document as a JSON value.
    public static let document: JSONValue = [
        "openapi": "3.1.0",
        "info": [
            "title": "mnistd",
            "version": "1.0.0",
            "description": .string("Train dense and convolutional networks on MNIST, follow their progress, and get predictions. "
                + "Every error answers {\"error\": {\"code\", \"message\", \"field\"?}}. With a token configured, "
                + "POST and DELETE need 'Authorization: Bearer <token>'."),
        ],
        "servers": [["url": "/"]],
        "tags": [["name": "jobs"], ["name": "models"], ["name": "experiments"], ["name": "datasets"], ["name": "service"]],
        "paths": .object(paths.merging(evaluationPaths) { $1 }.merging(experimentPaths) { $1 }),
        "components": [
            "schemas": .object(schemas.merging(evaluationSchemas) { $1 }.merging(experimentSchemas) { $1 }),
            "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
            "parameters": [
                "JobID": ["name": "id", "in": "path", "required": true, "description": "A job id.",
                          "schema": ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"]],
                "ModelID": ["name": "id", "in": "path", "required": true, "description": "A model id.",
                            "schema": ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"]],
                "DatasetName": ["name": "name", "in": "path", "required": true, "description": "A dataset name, e.g. mnist.",
                                "schema": ["type": "string", "pattern": "^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$"]],
            ],
            "headers": [
                "RetryAfter": ["description": "Seconds to wait before retrying.",
                               "schema": ["type": "integer", "minimum": 0]],
                "Location": ["description": "The created resource's path.", "schema": ["type": "string"]],
            ],
        ],
    ]

    /// The document as UTF-8 JSON, for `GET /openapi.json` of a service started with a token.
    public static let data: Data = document.data

    /// The document of a service without a token: no operation requires auth, and none answers 401.
    public static let openDocument: JSONValue = withoutSecurity(document)
    public static let openData: Data = openDocument.data

    static func withoutSecurity(_ document: JSONValue) -> JSONValue {
        guard case .object(var top) = document, case .object(var paths)? = top["paths"] else { return document }
        for (path, item) in paths {
            guard case .object(var operations) = item else { continue }
            for (method, operation) in operations {
                guard case .object(var members) = operation else { continue }
                members["security"] = nil
                if case .object(var responses)? = members["responses"] { responses["401"] = nil; members["responses"] = .object(responses) }
                operations[method] = .object(members)
            }
            paths[path] = .object(operations)
        }
        top["paths"] = .object(paths)
        return .object(top)
    }

    // MARK: - Schema helpers

    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    /// An object schema; `closed` forbids properties not listed.
    static func object(_ properties: [String: JSONValue], required: [String] = [], closed: Bool = true,
                       description: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.sorted().map(JSONValue.string)) }
        if closed { schema["additionalProperties"] = false }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static func integer(_ minimum: Int? = nil, _ maximum: Int? = nil, _ description: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "integer"]
        if let minimum { schema["minimum"] = .int(minimum) }
        if let maximum { schema["maximum"] = .int(maximum) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// A number; `exclusive` makes the minimum (first) and/or maximum (second) exclusive.
    static func number(_ minimum: Double? = nil, _ maximum: Double? = nil, exclusive: (Bool, Bool) = (false, false),
                       _ description: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "number"]
        if let minimum { schema[exclusive.0 ? "exclusiveMinimum" : "minimum"] = .double(minimum) }
        if let maximum { schema[exclusive.1 ? "exclusiveMaximum" : "maximum"] = .double(maximum) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static func string(_ description: String? = nil, enum values: [String]? = nil, format: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "string"]
        if let values { schema["enum"] = .array(values.map(JSONValue.string)) }
        if let format { schema["format"] = .string(format) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static func array(_ items: JSONValue, min: Int? = nil, max: Int? = nil, _ description: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "array", "items": items]
        if let min { schema["minItems"] = .int(min) }
        if let max { schema["maxItems"] = .int(max) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// An array schema whose items must differ.
    static func uniqueArray(_ schema: JSONValue) -> JSONValue {
        guard case .object(var members) = schema else { return schema }
        members["uniqueItems"] = true
        return .object(members)
    }

    /// `schema` that may also be null: null joins its type (and its enum), or, for a reference, an `anyOf`.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var members) = schema, members["$ref"] == nil, let type = members["type"]?.stringValue else {
            return ["anyOf": [schema, ["type": "null"]]]
        }
        members["type"] = [.string(type), "null"]
        if case .array(let values)? = members["enum"] { members["enum"] = .array(values + [.null]) }
        return .object(members)
    }

    /// `schema` with `constraints` added: every one must hold (for a reference, with `allOf`).
    static func narrowed(_ schema: JSONValue, _ constraints: [String: JSONValue]) -> JSONValue {
        ["allOf": [schema, .object(constraints)]]
    }
}
