// The architecture of a network: its input shape, the layers between input and output (LayerSpec), the
// output head and loss, and the plan of every layer's shapes derived from them once.

/// Architecture of a network: input → layers… → a dense output layer with `outputs` units.
public struct NetworkSpec: Equatable, Sendable {
    /// The shape of one input sample (1×28×28 for MNIST images, or a flat vector for a dense-only network).
    public let input: TensorShape
    /// The layers between the input and the output layer, as configured.
    public let layers: [LayerSpec]
    /// Output units (10 for MNIST).
    public let outputs: Int
    /// The activation of layers that do not name their own.
    public let activation: Activation
    /// The output layer's activation.
    public let output: OutputActivation
    /// The loss; `LossFunction.defaultFor(output)` when a config leaves it null.
    public let loss: LossFunction
    /// Every layer with its shapes, the output layer last (flattens inserted where a dense layer needs one).
    public let plan: [LayerPlan]

    /// A network of `layers` on `input` samples; throws a ConfigError naming the first layer that does not fit.
    public init(input: TensorShape, layers: [LayerSpec], outputs: Int, activation: Activation,
                output: OutputActivation, loss: LossFunction? = nil) throws {
        self.input = input
        self.layers = layers
        self.outputs = outputs
        self.activation = activation
        self.output = output
        self.loss = loss ?? LossFunction.defaultFor(output)
        plan = try LayerPlan.resolve(layers, input: input, outputs: outputs, activation: activation)
    }

    /// A multilayer perceptron: inputs → hidden… → outputs, every hidden layer dense with `activation`.
    public init(inputs: Int, hidden: [Int], outputs: Int, activation: Activation,
                output: OutputActivation, loss: LossFunction? = nil) {
        // Dense layers of at least one unit on a flat input always fit.
        try! self.init(input: TensorShape(features: inputs), layers: hidden.map { .dense(units: $0, activation: nil) },
                       outputs: outputs, activation: activation, output: output, loss: loss)
    }

    /// Input features per sample (784 for MNIST).
    public var inputs: Int { input.count }

    /// Units of each hidden dense layer, first to last (all hidden layers of a dense-only network).
    public var hidden: [Int] {
        plan.dropLast().compactMap { if case .dense(_, let outputs, _) = $0 { return outputs } else { return nil } }
    }

    /// Whether every layer is dense with the shared activation (the shape of the v1 export format).
    public var isDenseOnly: Bool {
        plan.dropLast().allSatisfy { if case .dense(_, _, let a) = $0 { return a == activation } else { return false } }
    }

    /// Scalars of each layer's input and output per sample: [inputs, layer 0's outputs, …, outputs].
    public var widths: [Int] { [input.count] + plan.map(\.outputShape.count) }

    /// Number of layers, the output layer included.
    public var layerCount: Int { plan.count }

    /// The highest conv layer (backward reaches it first, while the shared patch scratch still holds its forward
    /// patches), if any.
    public var topConvLayer: Int? { plan.lastIndex { if case .conv2d = $0 { true } else { false } } }

    /// Scalars of all weights and biases.
    public var parameterCount: Int { plan.reduce(0) { $0 + $1.parameterCount } }

    /// The activation applied after layer `index` (the output activation for the last; the type for a
    /// layer without one).
    public func activationName(ofLayer index: Int) -> String {
        if index == layerCount - 1 { return output.rawValue }
        return plan[index].activation?.name ?? plan[index].typeName
    }
}
