// One key of a `model.layers` entry, described once like a config field: what values it takes, whether it
// must be given, its default and a line of help. The parser, the encoder, the OpenAPI schema and the README's
// layer table are made from these.

/// A key of one layer object (`filters` of a conv2d, `size` of a maxpool, …).
public struct LayerField: Sendable {
    public let key: String
    public let type: ConfigFieldType
    /// Whether JSON null is a value (it means "the default": the model's activation, a stride equal to the size).
    public let nullable: Bool
    /// The value when the key is absent; nil: the key must be given.
    public let defaultValue: ConfigValue?
    public let help: String

    public init(_ key: String, _ type: ConfigFieldType, nullable: Bool = false, default defaultValue: ConfigValue? = nil,
                _ help: String) {
        self.key = key
        self.type = type
        self.nullable = nullable
        self.defaultValue = defaultValue
        self.help = help
    }

    public var isRequired: Bool { defaultValue == nil }
}

/// One `type` of layer: its keys, how the read values make a LayerSpec, and how a LayerSpec of this type is
/// written back.
public struct LayerType: @unchecked Sendable {
    /// The `type` a layer object names: "conv2d", "maxpool", …
    public let name: String
    public let help: String
    public let fields: [LayerField]
    /// Builds the layer from every key's value (defaults filled in); throws for rules between keys.
    let build: ([String: ConfigValue], _ path: String) throws -> LayerSpec
    /// The layer's keys and values when `spec` is of this type, else nil.
    let describe: (LayerSpec) -> [String: ConfigValue]?
}
