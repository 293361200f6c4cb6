// Moving weights between a Model and a running Network, bit for bit: conv filters go from the engine's
// (kh, kw, in) order to PyTorch's [in][kh][kw] on the way out and back on the way in (ConvGeometry).

extension Model {
    /// Copies a network's layers and parameters out. A network without conv or pooling layers reads its image
    /// as a vector, so its input is exported flat ([784]), as a PyTorch stack of Linear layers takes it.
    init(network: Network<Float>, normalize: InputNormalization) {
        let spec = network.spec
        let last = spec.plan.count - 1
        input = spec.plan.contains(where: \.isSpatial) ? spec.input : TensorShape(features: spec.input.count)
        layers = zip(spec.plan, network.layers).enumerated().map { index, pair in
            Model.layer(pair.0, pair.1, outputActivation: index == last ? spec.output : nil)
        }
        output = spec.output
        self.normalize = normalize
    }

    private static func layer(_ plan: LayerPlan, _ layer: NetworkLayer<Float>, outputActivation: OutputActivation?) -> Layer {
        func named(_ activation: Activation) -> (String, Double?) {
            if let outputActivation { return (outputActivation.rawValue, nil) }
            if case .leakyRelu(let slope) = activation { return (activation.name, slope) }
            return (activation.name, nil)
        }
        switch plan {
        case .dense(_, _, let activation):
            let (name, slope) = named(activation)
            let weight = layer.weight
            return Layer(kind: .dense, weights: (0..<weight.rows).map { weight.row($0).toArray() },
                         bias: layer.bias.toArray(), activation: name, leakySlope: slope)
        case .conv2d(let g, let activation):
            let (name, slope) = named(activation)
            let flat = g.pytorchOrder(layer.weight.toArray())
            let filters = (0..<g.output.channels).map { Array(flat[($0 * g.patch)..<(($0 + 1) * g.patch)]) }
            // Only "same" on an even kernel pads one side more; otherwise the padding is two numbers.
            let symmetric = g.padTop == g.padBottom && g.padLeft == g.padRight
            let padding: Padding = symmetric ? .explicit(Extent2D(g.padTop, g.padLeft)) : .same
            return Layer(kind: .conv2d(kernel: g.kernel, stride: g.stride, padding: padding), weights: filters,
                         bias: layer.bias.toArray(), activation: name, leakySlope: slope)
        case .maxPool(let g): return Layer(kind: .maxPool(PoolSpec(size: g.size, stride: g.stride)))
        case .avgPool(let g): return Layer(kind: .avgPool(PoolSpec(size: g.size, stride: g.stride)))
        case .dropout(let rate, _): return Layer(kind: .dropout(rate: rate))
        case .flatten: return Layer(kind: .flatten)
        }
    }

    /// Writes this model's parameters into `network`, which must have the same architecture.
    func load<T: EngineScalar>(into network: Network<T>) throws {
        guard matches(network.spec) else {
            throw ModelError.architectureMismatch("the model is \(architectureDescription), "
                                                  + "the config is \(Model.describe(network.spec))")
        }
        for ((layer, plan), target) in zip(zip(layers, network.spec.plan), network.layers) {
            guard let parameters = target.parameters else { continue }
            let flat = layer.weights.joined().map { T($0) }
            if case .conv2d(let g, _) = plan {
                parameters.weight.assign(g.engineOrder(flat))
            } else {
                parameters.weight.assign(flat)
            }
            parameters.bias.assign(layer.bias.map { T($0) })
        }
    }
}
