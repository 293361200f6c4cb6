// Which network a model is: its NetworkSpec, with every shape resolved through LayerPlan and checked against
// the weights the model holds (errors name the layer); whether it is the network a config asks for; and a
// one-line description for messages.

extension Model {
    /// The network of this model, with `loss` for training (default: the output's default loss). Throws a
    /// ModelError naming the first layer whose hyperparameters, activation or weight shapes do not fit.
    public func spec(loss: LossFunction? = nil) throws -> NetworkSpec {
        guard let last = layers.last else { throw ModelError.invalidField(field: "layers", message: "must hold at least one layer") }
        let outputIndex = layers.count - 1
        guard last.kind == .dense else {
            throw ModelError.layerShape(layer: outputIndex, message: "the last layer must be the dense output layer, not \(last.typeName)")
        }
        guard last.activation == output.rawValue else {
            throw ModelError.layerShape(layer: outputIndex, message: "the last layer's activation \"\(last.activation ?? "none")\" "
                                        + "differs from output \"\(output.rawValue)\"")
        }
        var specs: [LayerSpec] = []
        var afterSpatial: String?  // the type of the conv/pool layer a dense layer would follow unflattened
        for (index, layer) in layers.enumerated() {
            if layer.hasParameters { try Model.checkTensors(layer, index: index) }
            if layer.kind == .dense, let spatial = afterSpatial {
                throw ModelError.layerShape(layer: index, message: "a dense layer after \(spatial) needs a {\"type\": \"flatten\"} layer before it")
            }
            guard index < outputIndex else { break }
            let activation = layer.activationValue
            if layer.hasParameters && activation == nil {
                throw ModelError.unknownActivation(layer: index, name: layer.activation ?? "none")
            }
            switch layer.kind {
            case .dense:
                specs.append(.dense(units: layer.weights.count, activation: activation))
            case .conv2d(let kernel, let stride, let padding):
                specs.append(.conv2d(Conv2DSpec(filters: layer.weights.count, kernel: kernel, stride: stride,
                                                padding: padding, activation: activation)))
                afterSpatial = "conv2d"
            case .maxPool(let pool): specs.append(.maxPool(pool)); afterSpatial = "maxpool"
            case .avgPool(let pool): specs.append(.avgPool(pool)); afterSpatial = "avgpool"
            case .dropout(let rate): specs.append(.dropout(rate: rate))
            case .flatten: specs.append(.flatten); afterSpatial = nil
            }
        }
        let spec: NetworkSpec
        do {
            spec = try NetworkSpec(input: input, layers: specs, outputs: last.bias.count, activation: hiddenActivation,
                                   output: output, loss: loss)
        } catch let error as ConfigError {
            throw ModelError.layerShape(layer: Model.layerIndex(error.field) ?? 0, message: error.message)
        }
        // Every dense layer follows a flatten or a non-spatial layer, so the plan inserted none: one plan entry per layer.
        assert(spec.plan.count == layers.count)
        for (index, (layer, plan)) in zip(layers, spec.plan).enumerated() {
            try Model.checkInput(layer, plan, index: index)
        }
        return spec
    }

    /// Whether this model is the network `spec` describes: the same layers, shapes, activations and output
    /// (the loss may differ).
    public func matches(_ spec: NetworkSpec) -> Bool {
        guard let mine = try? self.spec() else { return false }
        return mine.output == spec.output && Model.comparablePlan(mine) == Model.comparablePlan(spec)
    }

    /// The model's layers in one line, e.g. "1×28×28 → conv2d 6@5×5 pad 2 relu → maxpool 2 → flatten →
    /// dense 10 softmax", or "784-100-10 relu/softmax" for a multilayer perceptron.
    public var architectureDescription: String {
        do { return Model.describe(try spec()) } catch { return "an invalid network (\(error))" }
    }

    /// The layers of `spec` in one line, input first (the form `architectureDescription` uses). Dense layers
    /// sharing one activation are the widths, the hidden activation and the output: "784-100-10 relu/softmax".
    public static func describe(_ spec: NetworkSpec) -> String {
        let plan = comparablePlan(spec)
        if plan.allSatisfy({ if case .dense = $0 { true } else { false } }) && spec.isDenseOnly {
            let widths = ([spec.input.count] + plan.map(\.outputShape.count)).map(String.init).joined(separator: "-")
            return plan.count == 1 ? "\(widths) \(spec.output.rawValue)" : "\(widths) \(describe(spec.activation))/\(spec.output.rawValue)"
        }
        let last = spec.plan.count - 1
        return ([spec.input.description] + spec.plan.enumerated().map { index, plan in
            describe(plan, activation: index == last ? spec.output.rawValue : plan.activation.map(describe))
        }).joined(separator: " → ")
    }

    // MARK: - Helpers

    /// `spec.plan`, planned on a flat input when no layer is spatial: such a network reads an image as a vector
    /// whatever shape it is given in, so [784] and 1×28×28 describe one network.
    static func comparablePlan(_ spec: NetworkSpec) -> [LayerPlan] {
        guard spec.input.positions > 1, !spec.plan.contains(where: \.isSpatial),
              let flat = try? NetworkSpec(input: TensorShape(features: spec.input.count), layers: spec.layers,
                                          outputs: spec.outputs, activation: spec.activation, output: spec.output)
        else { return spec.plan }
        return flat.plan
    }

    /// The shapes a layer's tensors must have whatever its input: non-empty equal rows, one bias per row, and
    /// conv rows of whole kernels.
    private static func checkTensors(_ layer: Layer, index: Int) throws {
        guard let width = layer.weights.first?.count, width > 0 else {
            throw ModelError.layerShape(layer: index, message: "weights must not be empty")
        }
        guard layer.weights.allSatisfy({ $0.count == width }) else {
            throw ModelError.layerShape(layer: index, message: "weights rows have different lengths")
        }
        guard layer.bias.count == layer.weights.count else {
            throw ModelError.layerShape(layer: index, message: "bias has \(layer.bias.count) entries for \(layer.weights.count) weight rows")
        }
        if case .conv2d(let kernel, _, _) = layer.kind, width % (kernel.height * kernel.width) != 0 {
            throw ModelError.layerShape(layer: index, message: "each filter's \(width) weights are not whole \(kernel.height)×\(kernel.width) kernels")
        }
    }

    /// A dense layer's weight columns, or a conv layer's input channels, against what its input gives.
    private static func checkInput(_ layer: Layer, _ plan: LayerPlan, index: Int) throws {
        let source = index == 0 ? "the input" : "layers[\(index - 1)]"
        switch plan {
        case .dense(let inputs, _, _):
            let columns = layer.weights[0].count
            guard columns == inputs else {
                throw ModelError.layerShape(layer: index, message: "weights have \(columns) columns but \(source) gives \(inputs) values")
            }
        case .conv2d(let g, _):
            let channels = layer.weights[0].count / (g.kernel.height * g.kernel.width)
            guard channels == g.input.channels else {
                throw ModelError.layerShape(layer: index, message: "weights are [\(layer.weights.count)][\(channels)]"
                    + "[\(g.kernel.height)][\(g.kernel.width)] but \(source) gives \(g.input) (\(g.input.channels) channels)")
            }
        default: break
        }
    }

    /// i of a ConfigError field "model.layers[i]" (LayerPlan names layers that way).
    private static func layerIndex(_ field: String) -> Int? {
        guard let open = field.lastIndex(of: "["), let close = field.lastIndex(of: "]"), open < close else { return nil }
        return Int(field[field.index(after: open)..<close])
    }

    private static func describe(_ activation: Activation) -> String {
        if case .leakyRelu(let slope) = activation { return "leaky_relu \(slope)" }
        return activation.name
    }

    private static func describe(_ plan: LayerPlan, activation: String?) -> String {
        func extent(_ e: Extent2D) -> String { e.height == e.width ? "\(e.height)" : "\(e.height)×\(e.width)" }
        var text: String
        switch plan {
        case .dense(_, let outputs, _):
            text = "dense \(outputs)"
        case .conv2d(let g, _):
            text = "conv2d \(g.output.channels)@\(g.kernel.height)×\(g.kernel.width)"
            if g.stride != Extent2D(square: 1) { text += " stride \(extent(g.stride))" }
            if g.padTop != g.padBottom || g.padLeft != g.padRight {
                text += " pad same"
            } else if g.padTop > 0 || g.padLeft > 0 {
                text += " pad \(extent(Extent2D(g.padTop, g.padLeft)))"
            }
        case .maxPool(let g), .avgPool(let g):
            text = "\(plan.typeName) \(extent(g.size))"
            if g.stride != g.size { text += " stride \(extent(g.stride))" }
        case .dropout(let rate, _):
            text = "dropout \(rate)"
        case .flatten:
            text = "flatten"
        }
        if let activation { text += " \(activation)" }
        return text
    }
}
