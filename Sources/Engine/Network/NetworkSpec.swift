// The shape of a dense network: input width, hidden widths, activations, output head and loss.

/// Architecture of a multilayer perceptron: inputs → hidden… → outputs.
public struct NetworkSpec: Equatable, Sendable {
    /// Input features per sample (784 for MNIST).
    public var inputs: Int
    /// Units of each hidden layer, first to last (may be empty: a linear model).
    public var hidden: [Int]
    /// Output units (10 for MNIST).
    public var outputs: Int
    /// The activation of every hidden layer.
    public var activation: Activation
    /// The output layer's activation.
    public var output: OutputActivation
    /// The loss; `LossFunction.defaultFor(output)` when a config leaves it null.
    public var loss: LossFunction

    public init(inputs: Int, hidden: [Int], outputs: Int, activation: Activation,
                output: OutputActivation, loss: LossFunction? = nil) {
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
        self.activation = activation
        self.output = output
        self.loss = loss ?? LossFunction.defaultFor(output)
    }

    /// Widths of every layer's input and output: [inputs, hidden..., outputs].
    public var widths: [Int] { [inputs] + hidden + [outputs] }

    /// Number of dense layers (hidden + output).
    public var layerCount: Int { hidden.count + 1 }

    /// Scalars of all weights and biases.
    public var parameterCount: Int {
        let w = widths
        return (0..<layerCount).reduce(0) { $0 + w[$1] * w[$1 + 1] + w[$1 + 1] }
    }

    /// The activation applied after dense layer `index` (the output activation for the last).
    public func activationName(ofLayer index: Int) -> String {
        index == layerCount - 1 ? output.rawValue : activation.name
    }
}
