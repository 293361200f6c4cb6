// Every layer type `model.layers` takes, in the order the README and the OpenAPI schema list them. Adding a
// type is one entry here (and its LayerSpec case): the parser, the encoder, the schema and the README follow.

extension LayerType {
    /// Activation names a layer may name; null: the model's `activation`.
    static let activationField = LayerField(
        "activation", .choice(HiddenActivation.allCases.map(\.rawValue)), nullable: true, default: .null,
        "The layer's activation; null: model.activation (leaky_relu uses model.leaky_slope).")

    /// The largest side of a kernel, window, stride or padding (MNIST images are 28 × 28).
    static let sides = 1...64

    public static let all: [LayerType] = [
        LayerType(name: "conv2d", help: "A 2-D convolution (PyTorch's Conv2d): filters × kernel over every input channel, then the activation.",
                  fields: [
                    LayerField("filters", .integer(1...1024), "Output channels."),
                    LayerField("kernel", .extent(sides), "The kernel's height and width: an integer, or [h, w]."),
                    LayerField("stride", .extent(sides), default: .integers([1, 1]), "The step between kernel positions."),
                    LayerField("padding", .padding(0...32), default: .integers([0, 0]),
                               "Zero rows/columns on each side, an integer or [h, w]; \"same\" keeps the size (stride 1 only)."),
                    activationField,
                  ],
                  build: { values, path in
                      let stride = extent(values["stride"]!)
                      let padding: Padding = values["padding"] == .string("same") ? .same : .explicit(extent(values["padding"]!))
                      if padding == .same && stride != Extent2D(square: 1) {
                          throw ConfigError(field: "\(path).padding", message: "\"same\" padding needs stride 1 (as PyTorch's), got stride \(stride.height)×\(stride.width)")
                      }
                      guard case .int(let filters) = values["filters"]! else { preconditionFailure() }
                      return .conv2d(Conv2DSpec(filters: filters, kernel: extent(values["kernel"]!), stride: stride,
                                                padding: padding, activation: activation(values["activation"]!)))
                  },
                  describe: { spec in
                      guard case .conv2d(let conv) = spec else { return nil }
                      let padding: ConfigValue
                      switch conv.padding {
                      case .same: padding = .string("same")
                      case .explicit(let p): padding = value(p)
                      }
                      return ["filters": .int(conv.filters), "kernel": value(conv.kernel), "stride": value(conv.stride),
                              "padding": padding, "activation": value(conv.activation)]
                  }),
        pool("maxpool", "Max pooling: each window's largest value (the gradient goes to the first maximum, as PyTorch's).",
             make: LayerSpec.maxPool, read: { if case .maxPool(let p) = $0 { p } else { nil } }),
        pool("avgpool", "Average pooling: each window's mean.",
             make: LayerSpec.avgPool, read: { if case .avgPool(let p) = $0 { p } else { nil } }),
        LayerType(name: "dropout", help: "Inverted dropout while training (kept values scaled by 1/(1 − rate)); the identity when evaluating and predicting.",
                  fields: [LayerField("rate", .number(.range(0, 1, excludingHigh: true)), "The share of values zeroed, 0 ≤ rate < 1.")],
                  build: { values, _ in
                      guard case .number(let rate) = values["rate"]! else { preconditionFailure() }
                      return .dropout(rate: rate)
                  },
                  describe: { if case .dropout(let rate) = $0 { ["rate": .number(rate)] } else { nil } }),
        LayerType(name: "flatten", help: "Channels × height × width → one vector in channel, row, column order (PyTorch's flatten(1)); implied before the first dense layer after a spatial one.",
                  fields: [], build: { _, _ in .flatten }, describe: { if case .flatten = $0 { [:] } else { nil } }),
        LayerType(name: "dense", help: "A fully connected layer, then the activation.",
                  fields: [LayerField("units", .integer(1...4096), "Output units."), activationField],
                  build: { values, _ in
                      guard case .int(let units) = values["units"]! else { preconditionFailure() }
                      return .dense(units: units, activation: activation(values["activation"]!))
                  },
                  describe: { spec in
                      guard case .dense(let units, let a) = spec else { return nil }
                      return ["units": .int(units), "activation": value(a)]
                  }),
    ]

    /// The kind named `type`.
    public static func named(_ type: String) -> LayerType? { all.first { $0.name == type } }

    /// The kind of a layer.
    static func of(_ spec: LayerSpec) -> LayerType { all.first { $0.describe(spec) != nil }! }

    private static func pool(_ type: String, _ help: String, make: @escaping (PoolSpec) -> LayerSpec,
                             read: @escaping (LayerSpec) -> PoolSpec?) -> LayerType {
        LayerType(name: type, help: help,
                  fields: [
                    LayerField("size", .extent(sides), "The window's height and width: an integer, or [h, w]."),
                    LayerField("stride", .extent(sides), nullable: true, default: .null,
                               "The step between windows; null: the size (windows side by side)."),
                  ],
                  build: { values, _ in
                      let size = extent(values["size"]!)
                      let stride = values["stride"]! == .null ? size : extent(values["stride"]!)
                      return make(PoolSpec(size: size, stride: stride))
                  },
                  describe: { spec in
                      guard let pool = read(spec) else { return nil }
                      return ["size": value(pool.size), "stride": value(pool.stride)]
                  })
    }

    // MARK: - Values

    static func extent(_ value: ConfigValue) -> Extent2D {
        guard case .integers(let sides) = value, sides.count == 2 else { preconditionFailure("an extent is [h, w]") }
        return Extent2D(sides[0], sides[1])
    }

    static func value(_ extent: Extent2D) -> ConfigValue { .integers([extent.height, extent.width]) }

    /// A layer's activation; leaky_relu gets its slope from the model (ModelConfig.networkSpec sets it).
    static func activation(_ value: ConfigValue) -> Activation? {
        guard case .string(let name) = value, let kind = HiddenActivation(rawValue: name) else { return nil }
        return kind.activation(leakySlope: 0.01)
    }

    static func value(_ activation: Activation?) -> ConfigValue { activation.map { .string($0.name) } ?? .null }
}
