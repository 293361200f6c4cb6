// An object-valued config field (training.lr_schedule, training.early_stopping, training.augment), described
// as the layer objects are: its keys with their types, defaults and help, and, when it has kinds, a `type`
// key choosing one (each kind with keys of its own, plus keys every kind takes). The parser, the encoder, the
// OpenAPI schema and the README's tables are made from these, as for every other field.
import Foundation

/// One kind of a config object: the `type` value that picks it (nil for an object without kinds), its help
/// and its own keys.
public struct ConfigObjectKind: Sendable {
    public let name: String?
    public let help: String
    public let fields: [LayerField]

    public init(_ name: String?, _ help: String, _ fields: [LayerField]) {
        self.name = name
        self.help = help
        self.fields = fields
    }
}

public struct ConfigObjectShape: Sendable, Equatable {
    /// What the object is, for messages and tables ("schedule").
    public let noun: String
    public let kinds: [ConfigObjectKind]
    /// Keys every kind takes, after its own.
    public let common: [LayerField]

    public init(_ noun: String, kinds: [ConfigObjectKind], common: [LayerField] = []) {
        self.noun = noun
        self.kinds = kinds
        self.common = common
    }

    /// Whether a `type` key picks the kind.
    public var isTyped: Bool { kinds.first?.name != nil }

    /// The kind names, "step | cosine | …".
    public var typeNames: String { kinds.compactMap(\.name).joined(separator: " | ") }

    /// A kind's keys, its own then the common ones.
    public func fields(of kind: ConfigObjectKind) -> [LayerField] { kind.fields + common }

    public static func == (a: ConfigObjectShape, b: ConfigObjectShape) -> Bool { a.noun == b.noun }

    /// Reads one object: its kind (by `type`), every key checked, unknown keys refused by name, absent keys
    /// given their defaults. The values include `type` as a string for a typed shape.
    func read(_ value: Any, field: String) throws -> [String: ConfigValue] {
        guard let object = value as? [String: Any] else {
            throw ConfigError(field: field, message: "must be a \(noun) object" + (isTyped ? " with a type of \(typeNames)" : ""))
        }
        var kind = kinds[0]
        if isTyped {
            guard let typeName = object["type"] else {
                throw ConfigError(field: "\(field).type", message: "must be given: one of \(typeNames)")
            }
            guard let name = typeName as? String, let named = kinds.first(where: { $0.name == name }) else {
                throw ConfigError(field: "\(field).type", message: "must be one of \(typeNames)"
                                  + ((typeName as? String).map { ", got \"\($0.prefix(80))\"" } ?? ""))
            }
            kind = named
        }
        var values = try Self.readKeys(object, fields: fields(of: kind), extra: isTyped ? ["type"] : [],
                                       what: kind.name.map { "a \($0) \(noun)" } ?? "a \(noun)", field: field)
        if let name = kind.name { values["type"] = .string(name) }
        return values
    }

    /// Checks `object`'s keys against `fields` (and the `extra` keys the caller reads itself): unknown keys and
    /// missing required ones are refused naming `field.key`; absent keys take their defaults.
    static func readKeys(_ object: [String: Any], fields: [LayerField], extra: [String], what: String,
                         field: String) throws -> [String: ConfigValue] {
        let allowed = extra + fields.map(\.key)
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw ConfigError(field: "\(field).\(key)", message: "unknown key for \(what) (allowed: \(allowed.joined(separator: ", ")))")
        }
        var values: [String: ConfigValue] = [:]
        for key in fields {
            let path = "\(field).\(key.key)"
            switch object[key.key] {
            case nil:
                guard let value = key.defaultValue else {
                    throw ConfigError(field: path, message: "must be given for \(what): \(key.type.rule)")
                }
                values[key.key] = value
            case is NSNull:
                guard key.nullable else { throw ConfigError(field: path, message: "must be \(key.type.rule), got null") }
                values[key.key] = .null
            case let value?:
                values[key.key] = try key.type.read(value, field: path)
            }
        }
        return values
    }
}
