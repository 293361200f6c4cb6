// A `model.layers` entry read from and written to JSON through its kind's description (LayerKinds): the type
// first, then every key checked, unknown keys refused by name, absent keys given their defaults.
import Foundation

extension LayerSpec {
    /// Reads one layer object; errors name `field` and the key ("model.layers[2].kernel").
    init(json value: Any, field: String) throws {
        guard let object = value as? [String: Any] else {
            throw ConfigError(field: field, message: "must be a layer object with a type of \(LayerSpec.typeNames)")
        }
        guard let typeName = object["type"] else {
            throw ConfigError(field: "\(field).type", message: "must be given: one of \(LayerSpec.typeNames)")
        }
        guard let name = typeName as? String, let kind = LayerType.named(name) else {
            throw ConfigError(field: "\(field).type", message: "must be one of \(LayerSpec.typeNames)"
                              + ((typeName as? String).map { ", got \"\($0.prefix(80))\"" } ?? ""))
        }
        let values = try ConfigObjectShape.readKeys(object, fields: kind.fields, extra: ["type"], what: "a \(name) layer",
                                                    field: field)
        self = try kind.build(values, field)
    }

    /// The layer as a JSONSerialization object, every key written (defaults resolved), so reading it back gives
    /// the same layer.
    public var jsonObject: [String: Any] {
        let kind = LayerType.of(self)
        var object: [String: Any] = ["type": kind.name]
        for (key, value) in kind.describe(self)! { object[key] = value.jsonObject }
        return object
    }

    static var typeNames: String { LayerType.all.map(\.name).joined(separator: " | ") }
}
