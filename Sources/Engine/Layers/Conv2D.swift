// A 2-D convolution layer: forward and backward side by side. Float runs them a chunk of samples at a time
// over the thread pool (ConvPasses: im2col + gemm; SingleChannelConv: a direct kernel for a stride-1 layer
// over one input channel, which writes no patches); Double, for gradient checks, runs the plain im2col + gemm
// over the whole batch. Weights and gradients are views into the network's parameters.

/// y = f(conv(x, W) + b) with W stored (filters, kh · kw · in_channels): PyTorch's Conv2d weight [out][in][kh][kw]
/// with each filter reordered (kh, kw, in) like the patches (ConvGeometry.engineOrder / pytorchOrder convert).
/// Samples are (height, width, channels); `columns` is the workspace's patch scratch.
struct Conv2D<T: EngineScalar> {
    let geometry: ConvGeometry
    let weight: Matrix<T>  // (filters, patch)
    let bias: Matrix<T>    // (1, filters)
    let dW: Matrix<T>      // (filters, patch)
    let dB: Matrix<T>      // (1, filters)

    /// Whether this layer takes the single-channel kernel (Float, one input channel, stride 1).
    var isSingleChannel: Bool { T.self == Float.self && SingleChannelConv.applies(geometry) }

    /// Scalars of patch scratch the passes over `rows` samples need; `inputGradient`: including that pass.
    static func scratchCount(_ g: ConvGeometry, rows: Int, inputGradient: Bool) -> Int {
        let patches = rows * g.output.positions * g.patch
        guard T.self == Float.self && SingleChannelConv.applies(g) else { return patches }
        return max(SingleChannelConv.Layout(g).scratchCount(rows: rows), inputGradient ? patches : 0)
    }

    /// x (rows, H·W·C) → y (rows, OH·OW·F), f applied in the gemm's write-back (identity: y is z).
    func forward(_ x: Matrix<T>, into y: Matrix<T>, columns: Matrix<T>, activation: Gemm.Activation = .identity,
                 threads: Int = 0) {
        if isSingleChannel {
            let layout = SingleChannelConv.Layout(geometry), scratch = columns.floats.base
            precondition(columns.count >= layout.scratchCount(rows: x.rows), "conv scratch too small")
            SingleChannelConv.prepareTable(weight: weight.floats, bias: bias.floats, layout, into: scratch)
            let work = SingleChannelConv.Forward(layout: layout, x: x.floats, y: y.floats, table: scratch,
                                                 scratch: scratch + layout.tableCount, activation: activation)
            BatchTask.run(.singleChannelForward(work), chunks: work.chunks, threads: threads)
            return
        }
        let patches = self.patches(columns, rows: x.rows)
        if T.self == Float.self {
            let work = ConvPasses.Forward(g: geometry, x: x.floats, y: y.floats, patches: patches.floats,
                                          weight: weight.floats, bias: bias.floats, activation: activation)
            BatchTask.run(.convForward(work), chunks: work.chunks, threads: threads)
            return
        }
        Im2Col.gather(x, geometry, into: patches)
        MatrixProduct.affine(patches, weight, bias: bias, activation: activation, into: byPosition(y), threads: threads)
    }

    /// dW = dZᵀ · patches(x) and dB = Σ dZ over samples and positions, overwritten; dZ is (rows, OH·OW·F).
    /// `patchesReady`: the scratch still holds x's patches from this layer's forward pass. `partials`: room for
    /// the per-chunk sums (`ConvPasses.partialCount`); without it the sum runs as one chunk.
    func parameterGradients(_ dZ: Matrix<T>, input x: Matrix<T>, columns: Matrix<T>, partials: Matrix<T>? = nil,
                            patchesReady: Bool = false, threads: Int = 0) {
        if isSingleChannel {
            let layout = SingleChannelConv.Layout(geometry), scratch = columns.floats.base
            precondition(columns.count >= layout.scratchCount(rows: x.rows), "conv scratch too small")
            let work = SingleChannelConv.WeightGradient(layout: layout, x: x.floats, dZ: dZ.floats, scratch: scratch)
            BatchTask.run(.singleChannelWeightGradient(work), chunks: work.chunks, threads: threads)
            SingleChannelConv.reduce(layout, scratch: scratch, chunks: work.chunks, into: dW.floats, dB.floats)
            return
        }
        let patches = self.patches(columns, rows: x.rows)
        if T.self == Float.self, let partials, partials.count >= ConvPasses.partialCount(geometry, rows: x.rows) {
            let work = ConvPasses.WeightGradient(g: geometry, x: x.floats, dZ: dZ.floats, patches: patches.floats,
                                                 gather: !patchesReady, dW: dW.floats, dB: dB.floats,
                                                 partials: partials.floats.base)
            BatchTask.run(.convWeightGradient(work), chunks: work.chunks, threads: threads)
            work.reduce()
            return
        }
        if !patchesReady { Im2Col.gather(x, geometry, into: patches) }
        let dZ = byPosition(dZ)
        MatrixProduct.multiply(dZ, patches, into: dW, transposeA: true, threads: threads)
        Elementwise.columnSums(dZ, into: dB)
    }

    /// dX (rows, H·W·C) = col2im(dZ · W): every patch's gradient added back where the patch came from. With
    /// `gate` (Float), dX is then gated by the derivative of the layer below's activation at its outputs.
    /// Returns whether it applied the gate.
    @discardableResult
    func inputGradient(_ dZ: Matrix<T>, into dX: Matrix<T>, columns: Matrix<T>,
                       gate: (outputs: Matrix<T>, activation: Gemm.Activation)? = nil, threads: Int = 0) -> Bool {
        let patches = self.patches(columns, rows: dX.rows)
        if T.self == Float.self {
            let work = ConvPasses.InputGradient(g: geometry, dZ: dZ.floats, dX: dX.floats, patches: patches.floats,
                                                weight: weight.floats, gate: gate?.outputs.floats,
                                                gateActivation: gate?.activation ?? .identity)
            BatchTask.run(.convInputGradient(work), chunks: work.chunks, threads: threads)
            return gate != nil
        }
        MatrixProduct.multiply(byPosition(dZ), weight, into: patches, threads: threads)
        Im2Col.scatter(patches, geometry, into: dX)
        return false
    }

    /// A layer output (rows, OH·OW·F) seen as one row per output position (rows·OH·OW, F).
    private func byPosition(_ y: Matrix<T>) -> Matrix<T> {
        Matrix(base: y.base, rows: y.rows * geometry.output.positions, columns: geometry.output.channels)
    }

    /// The front of the scratch as the patch matrix of `rows` samples.
    private func patches(_ columns: Matrix<T>, rows: Int) -> Matrix<T> {
        columns.view(offset: 0, rows: rows * geometry.output.positions, columns: geometry.patch)
    }
}
