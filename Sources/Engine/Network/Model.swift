// A trained network as plain values: the `mnistd-mlp-v1` export format. Import checks every
// shape and number and names the layer that is wrong; export of a trainer's network is lossless.

/// Weights, biases and activations of a dense network, plus how its inputs are normalised.
public struct Model: Equatable, Sendable {
    public static let format = "mnistd-mlp-v1"

    /// One dense layer: `weights` is [outputs][inputs], `bias` is [outputs].
    public struct Layer: Equatable, Sendable {
        public var weights: [[Float]]
        public var bias: [Float]
        /// relu | leaky_relu | sigmoid | tanh | softplus for hidden layers; the output activation for the last.
        public var activation: String
        /// The slope of leaky_relu layers (exported as an extra field `leaky_slope`).
        public var leakySlope: Double?

        public init(weights: [[Float]], bias: [Float], activation: String, leakySlope: Double? = nil) {
            self.weights = weights
            self.bias = bias
            self.activation = activation
            self.leakySlope = leakySlope
        }
    }

    public var layers: [Layer]
    public var output: OutputActivation
    public var normalize: InputNormalization

    public init(layers: [Layer], output: OutputActivation, normalize: InputNormalization) {
        self.layers = layers
        self.output = output
        self.normalize = normalize
    }

    /// Input features (columns of the first layer).
    public var inputs: Int { layers.first?.weights.first?.count ?? 0 }
    /// Output units (rows of the last layer).
    public var outputs: Int { layers.last?.bias.count ?? 0 }
    /// Units of each hidden layer.
    public var hidden: [Int] { layers.dropLast().map(\.bias.count) }

    /// The hidden activation shared by all hidden layers (relu for a model without hidden layers).
    public var hiddenActivation: Activation {
        guard let first = layers.first, layers.count > 1 else { return .relu }
        return Model.activation(named: first.activation, slope: first.leakySlope ?? 0.01) ?? .relu
    }

    /// The network spec of this model, with `loss` for training (default: the output's default loss).
    public func spec(loss: LossFunction? = nil) -> NetworkSpec {
        NetworkSpec(inputs: inputs, hidden: hidden, outputs: outputs, activation: hiddenActivation,
                    output: output, loss: loss)
    }

    /// Whether this model has the architecture (widths, activations, output) of `spec`.
    public func matches(_ spec: NetworkSpec) -> Bool {
        spec.isDenseOnly && spec.widths == [inputs] + hidden + [outputs] && spec.output == output
            && (layers.count == 1 || spec.activation == hiddenActivation)
    }

    static func activation(named name: String, slope: Double) -> Activation? {
        switch name {
        case "relu": return .relu
        case "leaky_relu": return .leakyRelu(slope: slope)
        case "sigmoid": return .sigmoid
        case "tanh": return .tanh
        case "softplus": return .softplus
        default: return nil
        }
    }
}

extension Model {
    /// Copies a network's parameters out.
    init(network: Network<Float>, normalize: InputNormalization) {
        let spec = network.spec
        layers = network.denseLayers.enumerated().map { index, dense in
            let weights = (0..<dense.outputs).map { dense.weight.row($0).toArray() }
            let isOutput = index == network.denseLayers.count - 1
            var slope: Double? = nil
            if !isOutput, case .leakyRelu(let s) = spec.activation { slope = s }
            return Layer(weights: weights, bias: dense.bias.toArray(), activation: spec.activationName(ofLayer: index),
                         leakySlope: slope)
        }
        output = spec.output
        self.normalize = normalize
    }

    /// Writes this model's parameters into `network`, which must have the same architecture.
    func load<T: EngineScalar>(into network: Network<T>) throws {
        guard matches(network.spec) else {
            throw ModelError.architectureMismatch(
                "model is \(([inputs] + hidden + [outputs]).map(String.init).joined(separator: "-")) "
                + "\(hiddenActivation.name)/\(output.rawValue), config is "
                + "\(network.spec.widths.map(String.init).joined(separator: "-")) "
                + "\(network.spec.activation.name)/\(network.spec.output.rawValue)")
        }
        for (layer, dense) in zip(layers, network.denseLayers) {
            dense.weight.assign(layer.weights.joined().map { T($0) })
            dense.bias.assign(layer.bias.map { T($0) })
        }
    }
}
