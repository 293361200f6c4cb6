// A dense network's parameters (one allocation: values then gradients) and its forward and backward
// passes over a Workspace. Generic over the scalar so gradient checks run this very code in Double.

/// A multilayer perceptron with weights, biases and their gradients.
final class Network<T: EngineScalar> {
    let spec: NetworkSpec
    let head: OutputHead
    let layers: [Dense<T>]
    /// All weights and biases, flat: layers.0.weight, layers.0.bias, layers.1.weight, …
    let parameters: Matrix<T>
    /// dL/dparameters, same layout.
    let gradients: Matrix<T>
    /// (value, gradient) views of every parameter tensor, in the order of `parameterNames`; built once so
    /// the optimizer's per-step walk allocates nothing.
    let parameterTensors: [(value: Matrix<T>, gradient: Matrix<T>)]
    /// The hidden activation as the Float gemm fuses it (relu family), or nil. Hidden layers then write only
    /// `a` (their `z` is left unwritten) and backprop gates on `a`; Double keeps the separate passes over z.
    let fusedActivation: Gemm.Activation?
    private let storage: Storage<T>

    /// A network with all parameters zero; call `initialize` or `load` next.
    init(spec: NetworkSpec) {
        self.spec = spec
        head = OutputHead(output: spec.output, loss: spec.loss)
        let count = spec.parameterCount
        storage = Storage(count: 2 * count)
        parameters = storage.carve(rows: 1, columns: count)
        gradients = storage.carve(rows: 1, columns: count)
        var layers: [Dense<T>] = []
        var offset = 0
        let widths = spec.widths
        for l in 0..<spec.layerCount {
            let inputs = widths[l], outputs = widths[l + 1]
            func view(_ all: Matrix<T>, _ rows: Int, _ columns: Int) -> Matrix<T> {
                all.view(offset: offset, rows: rows, columns: columns)
            }
            let weight = view(parameters, outputs, inputs), dW = view(gradients, outputs, inputs)
            offset += outputs * inputs
            let bias = view(parameters, 1, outputs), dB = view(gradients, 1, outputs)
            offset += outputs
            layers.append(Dense(weight: weight, bias: bias, dW: dW, dB: dB))
        }
        self.layers = layers
        parameterTensors = layers.flatMap { [($0.weight, $0.dW), ($0.bias, $0.dB)] }
        fusedActivation = T.self == Float.self ? spec.activation.gemmForm : nil
    }

    /// Draws every weight from `initializer` (layer by layer, row by row) and zeroes the biases.
    func initialize(_ initializer: Initializer, random: inout SeededRandom) {
        for layer in layers {
            initializer.fill(layer.weight, random: &random)
            Elementwise.fill(layer.bias, 0)
        }
    }

    /// Forward pass over the first `rows` samples of `workspace.input` (or of `input`, see below); outputs land
    /// in `workspace.a.last`.
    func forward(_ workspace: Workspace<T>, rows: Int, input: SparseInput? = nil) {
        forward(workspace, rows: 0..<rows, threads: workspace.threads, input: input)
    }

    /// Forward pass over the samples `rows` of `workspace.input` (each row is independent of the others),
    /// with gemms on up to `threads` cores. With `input` (Float networks), the first layer reads the minibatch's
    /// images through it instead, after its `prepareForward`, and `workspace.input` is not read.
    func forward(_ workspace: Workspace<T>, rows: Range<Int>, threads: Int, input: SparseInput? = nil) {
        let activation = spec.activation
        var x = workspace.input.rows(rows)
        for (l, layer) in layers.enumerated() {
            let z = workspace.z[l].rows(rows), a = workspace.a[l].rows(rows)
            func affine(into y: Matrix<T>, _ activation: Gemm.Activation) {
                if l == 0, let input {
                    input.affine(rows: rows, activation: activation, into: Network.floats(y), threads: threads)
                } else {
                    layer.forward(x, into: y, activation: activation, threads: threads)
                }
            }
            if l == layers.count - 1 {
                affine(into: z, .identity)
                head.forward(z: z, a: a)
            } else if let fusedActivation {
                affine(into: a, fusedActivation)
            } else {
                affine(into: z, .identity)
                Elementwise.map(z, into: a) { activation.value($0) }
            }
            x = a
        }
    }

    /// The mean loss of the last forward pass against `workspace.targets`, without gradients.
    func loss(_ workspace: Workspace<T>, rows: Int) -> T {
        let last = layers.count - 1
        return head.loss(z: workspace.z[last].prefix(rows: rows), a: workspace.a[last].prefix(rows: rows),
                         targets: workspace.targets.prefix(rows: rows), dZ: nil)
    }

    /// Loss of the last forward pass, and every parameter's gradient into `gradients`. Returns the mean loss.
    /// `input` as in `forward`: the first layer's dW then comes from it.
    func backward(_ workspace: Workspace<T>, rows: Int, input: SparseInput? = nil) -> T {
        let last = layers.count - 1
        let loss = outputGradient(workspace, rows: 0..<rows, batchRows: rows)
        for l in stride(from: last, through: 0, by: -1) {
            let dZ = workspace.g[l].prefix(rows: rows)
            if l == 0, let input {
                let layer = layers[0]
                input.weightGradient(Network.floats(dZ), into: Network.floats(layer.dW), threads: workspace.threads)
                Elementwise.columnSums(dZ, into: layer.dB)
                continue
            }
            let x = l == 0 ? workspace.input.prefix(rows: rows) : workspace.a[l - 1].prefix(rows: rows)
            layers[l].parameterGradients(dZ, input: x, threads: workspace.threads)
            if l > 0 { inputGradient(workspace, layer: l, rows: 0..<rows, threads: workspace.threads) }
        }
        return loss
    }

    /// dL/dz of the output layer for the samples `rows` of a minibatch of `batchRows`, into `workspace.g.last`.
    /// Returns the loss over those rows (their mean when they are the whole batch).
    @discardableResult
    func outputGradient(_ workspace: Workspace<T>, rows: Range<Int>, batchRows: Int) -> T {
        let last = layers.count - 1
        return head.loss(z: workspace.z[last].rows(rows), a: workspace.a[last].rows(rows),
                         targets: workspace.targets.rows(rows), dZ: workspace.g[last].rows(rows), batchRows: batchRows)
    }

    /// dL/dz of layer `l − 1` from that of layer `l` (l ≥ 1), for the samples `rows`: backprop through the
    /// weights and the hidden activation. Rows are independent, so threads can share a batch by rows.
    func inputGradient(_ workspace: Workspace<T>, layer l: Int, rows: Range<Int>, threads: Int) {
        let dX = workspace.g[l - 1].rows(rows), x = workspace.a[l - 1].rows(rows)
        layers[l].inputGradient(workspace.g[l].rows(rows), into: dX, gate: fusedActivation, input: x, threads: threads)
        if fusedActivation == nil {
            let activation = spec.activation
            Elementwise.scaleByDerivative(dX, z: workspace.z[l - 1].rows(rows), a: x) { activation.derivative($0, $1) }
        }
    }

    /// The first layer whose weight or bias gradient holds a NaN or infinity, if any.
    func firstNonFiniteGradientLayer() -> Int? {
        layers.firstIndex { !Elementwise.allFinite($0.dW) || !Elementwise.allFinite($0.dB) }
    }

    /// The first layer whose weights or biases hold a NaN or infinity, if any.
    func firstNonFiniteParameterLayer() -> Int? {
        layers.firstIndex { !Elementwise.allFinite($0.weight) || !Elementwise.allFinite($0.bias) }
    }

    /// `x` as the Float matrix it is (the sparse first layer exists only for Float networks).
    static func floats(_ x: Matrix<T>) -> Matrix<Float> {
        precondition(T.self == Float.self, "the sparse first layer needs a Float network")
        return Matrix(base: UnsafeMutableRawPointer(x.base).assumingMemoryBound(to: Float.self),
                      rows: x.rows, columns: x.columns)
    }

    /// Names of the parameter tensors, in storage order ("layers.0.weight", "layers.0.bias", …).
    var parameterNames: [String] {
        (0..<layers.count).flatMap { ["layers.\($0).weight", "layers.\($0).bias"] }
    }

}
