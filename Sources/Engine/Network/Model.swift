// A trained network as plain values: its input shape, every layer of its stack with the weights in PyTorch's
// layouts, the output activation and how pixels were normalised. Written as `mnistd-net-v2`; the dense-only
// `mnistd-mlp-v1` of earlier versions is still read (Model+JSON).

/// Weights, biases and hyperparameters of a layer stack, plus how its inputs are normalised.
public struct Model: Equatable, Sendable {
    /// The format every export is written in.
    public static let format = "mnistd-net-v2"
    /// The dense-only format of earlier versions: still imported, never written.
    public static let formatV1 = "mnistd-mlp-v1"

    /// One layer. Dense and conv2d layers hold weights and a bias; the others hold only their hyperparameters.
    public struct Layer: Equatable, Sendable {
        public enum Kind: Equatable, Sendable {
            case dense
            /// The filter count is `weights.count`, the input channels `weights[0].count / (kh · kw)`.
            case conv2d(kernel: Extent2D, stride: Extent2D, padding: Padding)
            case maxPool(PoolSpec)
            case avgPool(PoolSpec)
            /// Training only: the identity in predictions. Kept so the architecture round-trips.
            case dropout(rate: Double)
            /// (channels, height, width) → one vector in that order, as PyTorch's `flatten(1)` on NCHW.
            case flatten
        }

        public var kind: Kind
        /// dense: [outputs][inputs] (PyTorch's Linear.weight). conv2d: [filters][in · kh · kw], each row one
        /// filter's [in][kh][kw] in order (PyTorch's Conv2d.weight with its last three axes flattened).
        /// Empty for layers without parameters.
        public var weights: [[Float]]
        /// [outputs] or [filters]; empty for layers without parameters.
        public var bias: [Float]
        /// Of dense and conv2d layers: relu | leaky_relu | sigmoid | tanh | softplus, or the output activation
        /// for the last layer. nil for layers without parameters.
        public var activation: String?
        /// The slope of a leaky_relu layer (exported as `leaky_slope`).
        public var leakySlope: Double?

        /// A dense layer.
        public init(weights: [[Float]], bias: [Float], activation: String, leakySlope: Double? = nil) {
            self.init(kind: .dense, weights: weights, bias: bias, activation: activation, leakySlope: leakySlope)
        }

        public init(kind: Kind, weights: [[Float]] = [], bias: [Float] = [], activation: String? = nil,
                    leakySlope: Double? = nil) {
            self.kind = kind
            self.weights = weights
            self.bias = bias
            self.activation = activation
            self.leakySlope = leakySlope
        }

        /// The `type` name of the export format.
        public var typeName: String {
            switch kind {
            case .dense: return "dense"
            case .conv2d: return "conv2d"
            case .maxPool: return "maxpool"
            case .avgPool: return "avgpool"
            case .dropout: return "dropout"
            case .flatten: return "flatten"
            }
        }

        /// Whether this layer has weights and a bias.
        public var hasParameters: Bool {
            switch kind {
            case .dense, .conv2d: return true
            default: return false
            }
        }

        /// Weights and biases.
        public var parameterCount: Int { weights.reduce(0) { $0 + $1.count } + bias.count }

        /// The engine's activation of a dense or conv2d layer; nil when the name is not a hidden activation.
        var activationValue: Activation? {
            activation.flatMap { Model.activation(named: $0, slope: leakySlope ?? 0.01) }
        }
    }

    /// The shape of one input sample: 1×H×W images for a network that starts with a spatial layer, a flat
    /// vector for one that reads the image as features (every dense-only network).
    public var input: TensorShape
    /// Input side first; the last is the dense output layer, whose activation is `output`.
    public var layers: [Layer]
    public var output: OutputActivation
    public var normalize: InputNormalization

    /// A model of `layers` on `input` samples (nil: a flat vector of the first layer's weight columns).
    public init(input: TensorShape? = nil, layers: [Layer], output: OutputActivation, normalize: InputNormalization) {
        self.input = input ?? TensorShape(features: layers.first?.weights.first?.count ?? 0)
        self.layers = layers
        self.output = output
        self.normalize = normalize
    }

    /// Input scalars per sample (784 for MNIST).
    public var inputs: Int { input.count }
    /// Output units (rows of the last layer).
    public var outputs: Int { layers.last?.bias.count ?? 0 }
    /// Units of each hidden dense layer.
    public var hidden: [Int] { layers.dropLast().filter { $0.kind == .dense }.map(\.bias.count) }
    /// Whether every layer is dense (the networks the v1 format could hold, with one shared activation).
    public var isDenseOnly: Bool { layers.allSatisfy { $0.kind == .dense } }
    /// Weights and biases of all layers.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// The activation of the first hidden dense or conv2d layer (relu for a model without one): what a
    /// dense-only model's hidden layers share.
    public var hiddenActivation: Activation {
        layers.dropLast().first { $0.hasParameters }?.activationValue ?? .relu
    }

    /// The activations hidden layers may have, as the config names them.
    static let hiddenActivations = ["relu", "leaky_relu", "sigmoid", "tanh", "softplus"]

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
