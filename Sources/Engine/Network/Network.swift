// A network's parameters (one allocation: values then gradients) and its forward and backward passes over a
// Workspace, layer by layer down the stack of its plan. Generic over the scalar so gradient checks run this
// very code in Double.

/// A stack of layers (dense, conv2d, pooling, dropout, flatten) ending in a dense output layer.
final class Network<T: EngineScalar> {
    let spec: NetworkSpec
    let head: OutputHead
    let layers: [NetworkLayer<T>]
    /// The dense layers in order, when every layer is dense (the paths written for MLPs use them); else empty.
    let denseLayers: [Dense<T>]
    /// All weights and biases, flat, layer by layer: weight then bias of each layer that has them.
    let parameters: Matrix<T>
    /// dL/dparameters, same layout.
    let gradients: Matrix<T>
    /// (value, gradient) views of every parameter tensor, in the order of `parameterNames`; built once so
    /// the optimizer's per-step walk allocates nothing.
    let parameterTensors: [(value: Matrix<T>, gradient: Matrix<T>)]
    /// Per layer, its activation (nil for pooling, dropout, flatten and the output layer).
    let activations: [Activation?]
    /// Per layer, its activation as the Float gemm fuses it (relu family), or nil. Such layers then write only
    /// `a` (their `z` is left unwritten) and backprop gates on `a`; Double keeps the separate passes over z.
    let fused: [Gemm.Activation?]
    /// `spec.topConvLayer`, kept for the backward pass.
    private let topConvLayer: Int?
    private let storage: Storage<T>

    /// A network with all parameters zero; call `initialize` or `load` next.
    init(spec: NetworkSpec) {
        self.spec = spec
        head = OutputHead(output: spec.output, loss: spec.loss)
        let count = spec.parameterCount
        storage = Storage(count: 2 * count)
        let parameters = storage.carve(rows: 1, columns: count)
        let gradients = storage.carve(rows: 1, columns: count)
        self.parameters = parameters
        self.gradients = gradients
        var offset = 0
        layers = spec.plan.map { plan in
            NetworkLayer(plan) { rows, columns in
                let w = parameters.view(offset: offset, rows: rows, columns: columns)
                let dW = gradients.view(offset: offset, rows: rows, columns: columns)
                offset += rows * columns
                let b = parameters.view(offset: offset, rows: 1, columns: rows)
                let dB = gradients.view(offset: offset, rows: 1, columns: rows)
                offset += rows
                return (w, b, dW, dB)
            }
        }
        denseLayers = layers.allSatisfy { if case .dense = $0 { true } else { false } }
            ? layers.map { if case .dense(let d) = $0 { d } else { fatalError() } } : []
        parameterTensors = layers.compactMap(\.parameters).flatMap { [($0.weight, $0.dW), ($0.bias, $0.dB)] }
        let last = spec.plan.count - 1
        activations = spec.plan.enumerated().map { $0.offset == last ? nil : $0.element.activation }
        fused = activations.map { T.self == Float.self ? $0?.gemmForm : nil }
        topConvLayer = spec.topConvLayer
    }

    /// The shared hidden activation as the Float gemm fuses it, or nil (dense-only networks; tests).
    var fusedActivation: Gemm.Activation? { T.self == Float.self ? spec.activation.gemmForm : nil }

    /// Draws every weight from `initializer` (layer by layer, row by row) and zeroes the biases.
    func initialize(_ initializer: Initializer, random: inout SeededRandom) {
        for p in layers.compactMap(\.parameters) {
            initializer.fill(p.weight, random: &random)
            Elementwise.fill(p.bias, 0)
        }
    }

    /// Whether some layer is dropout (its masks must be drawn before each training forward pass).
    var hasDropout: Bool { layers.contains { if case .dropout = $0 { true } else { false } } }

    /// Draws every dropout layer's mask for the first `rows` samples into its z buffer, layer by layer.
    func drawDropoutMasks(_ workspace: Workspace<T>, rows: Int, random: inout SeededRandom) {
        for (l, layer) in layers.enumerated() {
            if case .dropout(let d) = layer { d.drawMask(workspace.z[l].prefix(rows: rows), random: &random) }
        }
    }

    /// Forward pass over the first `rows` samples of `workspace.input` (or of `input`, see below); outputs land
    /// in `workspace.a.last`.
    func forward(_ workspace: Workspace<T>, rows: Int, input: SparseInput? = nil) {
        forward(workspace, rows: 0..<rows, threads: workspace.threads, input: input)
    }

    /// Forward pass over the samples `rows` of `workspace.input` (each row is independent of the others),
    /// with gemms on up to `threads` cores. With `input` (Float networks whose first layer is dense), the first
    /// layer reads the minibatch's images through it instead, after its `prepareForward`, and `workspace.input`
    /// is not read. Dropout applies its drawn masks when `workspace.isTraining`. Networks with a conv layer
    /// share one patch scratch, so only one pass over their workspace may run at a time.
    func forward(_ workspace: Workspace<T>, rows: Range<Int>, threads: Int, input: SparseInput? = nil) {
        let last = layers.count - 1
        var x = workspace.input.rows(rows)
        for (l, layer) in layers.enumerated() {
            let z = workspace.z[l].rows(rows), a = workspace.a[l].rows(rows)
            switch layer {
            case .dense(let dense):
                func affine(into y: Matrix<T>, _ activation: Gemm.Activation) {
                    if l == 0, let input {
                        input.affine(rows: rows, activation: activation, into: Network.floats(y), threads: threads)
                    } else {
                        dense.forward(x, into: y, activation: activation, threads: threads)
                    }
                }
                if l == last {
                    affine(into: z, .identity)
                    head.forward(z: z, a: a)
                } else if let f = fused[l] {
                    affine(into: a, f)
                } else {
                    affine(into: z, .identity)
                    applyActivation(l, z: z, a: a)
                }
            case .conv2d(let conv):
                if let f = fused[l] {
                    conv.forward(x, into: a, columns: workspace.patches(forLayer: l), activation: f, threads: threads)
                } else {
                    conv.forward(x, into: z, columns: workspace.patches(forLayer: l), threads: threads)
                    applyActivation(l, z: z, a: a)
                }
            case .maxPool(let pool): pool.forward(x, into: a, argmax: z, threads: threads)
            case .avgPool(let pool): pool.forward(x, into: a)
            case .dropout(let dropout): dropout.forward(x, mask: z, into: a, training: workspace.isTraining)
            case .flatten(let flatten): flatten.forward(x, into: a)
            }
            x = a
        }
    }

    private func applyActivation(_ l: Int, z: Matrix<T>, a: Matrix<T>) {
        guard let activation = activations[l] else { return }
        Elementwise.map(z, into: a) { activation.value($0) }
    }

    /// The mean loss of the last forward pass against `workspace.targets`, without gradients.
    func loss(_ workspace: Workspace<T>, rows: Int) -> T {
        let last = layers.count - 1
        return head.loss(z: workspace.z[last].prefix(rows: rows), a: workspace.a[last].prefix(rows: rows),
                         targets: workspace.targets.prefix(rows: rows), dZ: nil)
    }

    /// Loss of the last forward pass, and every parameter's gradient into `gradients`. Returns the mean loss.
    /// `input` as in `forward`: the first layer's dW then comes from it. Must follow the forward pass over the
    /// same rows: conv layers reuse the patches that pass left (the top one in the shared scratch, the others
    /// in their own buffers when the workspace keeps them).
    func backward(_ workspace: Workspace<T>, rows: Int, input: SparseInput? = nil) -> T {
        let last = layers.count - 1
        let loss = outputGradient(workspace, rows: 0..<rows, batchRows: rows)
        for l in stride(from: last, through: 0, by: -1) {
            let dZ = workspace.g[l].prefix(rows: rows)
            let x = l == 0 ? workspace.input.prefix(rows: rows) : workspace.a[l - 1].prefix(rows: rows)
            switch layers[l] {
            case .dense(let dense):
                if l == 0, let input {
                    input.weightGradient(Network.floats(dZ), into: Network.floats(dense.dW), threads: workspace.threads)
                    Elementwise.columnSums(dZ, into: dense.dB)
                    continue
                }
                dense.parameterGradients(dZ, input: x, threads: workspace.threads)
            case .conv2d(let conv):
                conv.parameterGradients(dZ, input: x, columns: workspace.patches(forLayer: l),
                                        partials: workspace.partials, patchesReady: l == topConvLayer || workspace.ownPatches[l] != nil,
                                        threads: workspace.threads)
            default: break
            }
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

    /// dL/dz of layer `l − 1` from that of layer `l` (l ≥ 1), for the samples `rows`: backprop through layer l
    /// and the activation of layer l − 1. Rows are independent, so threads can share a batch by rows (dense
    /// layers only: a conv layer uses the workspace's one patch scratch).
    func inputGradient(_ workspace: Workspace<T>, layer l: Int, rows: Range<Int>, threads: Int) {
        let dY = workspace.g[l].rows(rows), dX = workspace.g[l - 1].rows(rows), x = workspace.a[l - 1].rows(rows)
        switch layers[l] {
        case .dense(let dense):
            // The relu-family gate of the layer below rides in the gemm's write-back.
            dense.inputGradient(dY, into: dX, gate: fused[l - 1], input: x, threads: threads)
            if fused[l - 1] == nil { applyDerivative(layer: l - 1, workspace, rows: rows) }
            return
        case .conv2d(let conv):
            // The Float passes gate dX chunk by chunk while it is in cache.
            if conv.inputGradient(dY, into: dX, columns: workspace.patches(forLayer: l),
                                  gate: fused[l - 1].map { (x, $0) }, threads: threads) { return }
        case .maxPool(let pool):
            if pool.backward(dY, argmax: workspace.z[l].rows(rows), into: dX, gate: fused[l - 1].map { (x, $0) },
                             threads: threads) { return }
        case .avgPool(let pool): pool.backward(dY, into: dX)
        case .dropout(let dropout): dropout.backward(dY, mask: workspace.z[l].rows(rows), into: dX)
        case .flatten(let flatten): flatten.backward(dY, into: dX)
        }
        if let gate = fused[l - 1] {
            Elementwise.gate(dX, by: x, activation: gate)
        } else {
            applyDerivative(layer: l - 1, workspace, rows: rows)
        }
    }

    /// g[l] ⊙= f'(z[l]) for a layer with an unfused activation; nothing for a layer without one.
    private func applyDerivative(layer l: Int, _ workspace: Workspace<T>, rows: Range<Int>) {
        guard let activation = activations[l] else { return }
        Elementwise.scaleByDerivative(workspace.g[l].rows(rows), z: workspace.z[l].rows(rows),
                                      a: workspace.a[l].rows(rows)) { activation.derivative($0, $1) }
    }

    /// The first layer whose weight or bias gradient holds a NaN or infinity, if any.
    func firstNonFiniteGradientLayer() -> Int? {
        layers.firstIndex { layer in
            layer.parameters.map { !Elementwise.allFinite($0.dW) || !Elementwise.allFinite($0.dB) } ?? false
        }
    }

    /// The first layer whose weights or biases hold a NaN or infinity, if any.
    func firstNonFiniteParameterLayer() -> Int? {
        layers.firstIndex { layer in
            layer.parameters.map { !Elementwise.allFinite($0.weight) || !Elementwise.allFinite($0.bias) } ?? false
        }
    }

    /// `x` as the Float matrix it is (the sparse first layer exists only for Float networks).
    static func floats(_ x: Matrix<T>) -> Matrix<Float> {
        precondition(T.self == Float.self, "the sparse first layer needs a Float network")
        return Matrix(base: UnsafeMutableRawPointer(x.base).assumingMemoryBound(to: Float.self),
                      rows: x.rows, columns: x.columns)
    }

    /// Names of the parameter tensors, in storage order ("layers.0.weight", "layers.0.bias", …), numbered by
    /// position in the layer stack.
    var parameterNames: [String] {
        layers.indices.filter { layers[$0].parameters != nil }.flatMap { ["layers.\($0).weight", "layers.\($0).bias"] }
    }

    /// The layer (stack index) of each parameter tensor, in `parameterTensors` order.
    var parameterLayers: [Int] {
        layers.indices.filter { layers[$0].parameters != nil }.flatMap { [$0, $0] }
    }
}
