// A 2-D convolution layer: forward and backward side by side, each an im2col (patches as rows) and a gemm,
// so it reuses the dense layer's products. Weights and gradients are views into the network's parameters.

/// y = f(conv(x, W) + b) with W stored (filters, kh · kw · in_channels): PyTorch's Conv2d weight [out][in][kh][kw]
/// with each filter reordered (kh, kw, in) like the patches (ConvGeometry.engineOrder / pytorchOrder convert).
/// Samples are (height, width, channels); `columns` is the workspace's patch scratch.
struct Conv2D<T: EngineScalar> {
    let geometry: ConvGeometry
    let weight: Matrix<T>  // (filters, patch)
    let bias: Matrix<T>    // (1, filters)
    let dW: Matrix<T>      // (filters, patch)
    let dB: Matrix<T>      // (1, filters)

    /// x (rows, H·W·C) → y (rows, OH·OW·F), f applied in the gemm's write-back (identity: y is z).
    func forward(_ x: Matrix<T>, into y: Matrix<T>, columns: Matrix<T>, activation: Gemm.Activation = .identity,
                 threads: Int = 0) {
        let patches = self.patches(columns, rows: x.rows)
        Im2Col.gather(x, geometry, into: patches)
        MatrixProduct.affine(patches, weight, bias: bias, activation: activation, into: byPosition(y), threads: threads)
    }

    /// dW = dZᵀ · patches(x) and dB = Σ dZ over samples and positions, overwritten; dZ is (rows, OH·OW·F).
    /// `patchesReady`: the scratch still holds x's patches from this layer's forward pass.
    func parameterGradients(_ dZ: Matrix<T>, input x: Matrix<T>, columns: Matrix<T>, patchesReady: Bool = false,
                            threads: Int = 0) {
        let patches = self.patches(columns, rows: x.rows)
        if !patchesReady { Im2Col.gather(x, geometry, into: patches) }
        let dZ = byPosition(dZ)
        MatrixProduct.multiply(dZ, patches, into: dW, transposeA: true, threads: threads)
        Elementwise.columnSums(dZ, into: dB)
    }

    /// dX (rows, H·W·C) = col2im(dZ · W): every patch's gradient added back where the patch came from.
    func inputGradient(_ dZ: Matrix<T>, into dX: Matrix<T>, columns: Matrix<T>, threads: Int = 0) {
        let patches = self.patches(columns, rows: dX.rows)
        MatrixProduct.multiply(byPosition(dZ), weight, into: patches, threads: threads)
        Im2Col.scatter(patches, geometry, into: dX)
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
