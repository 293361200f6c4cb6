// A fully connected layer: forward and backward side by side. Its weights and gradients are views into
// the network's parameter storage; it owns no memory.

/// y = x · Wᵀ + b, with W stored (outputs, inputs) as PyTorch's nn.Linear and the export format do.
struct Dense<T: EngineScalar> {
    let weight: Matrix<T>  // (outputs, inputs)
    let bias: Matrix<T>    // (1, outputs)
    let dW: Matrix<T>      // (outputs, inputs)
    let dB: Matrix<T>      // (1, outputs)

    var inputs: Int { weight.columns }
    var outputs: Int { weight.rows }

    /// y = f(x · Wᵀ + b), f applied in the gemm's write-back (identity: y is z). x is (batch, inputs),
    /// y is (batch, outputs).
    func forward(_ x: Matrix<T>, into y: Matrix<T>, activation: Gemm.Activation = .identity, threads: Int = 0) {
        MatrixProduct.affine(x, weight, bias: bias, activation: activation, into: y, threads: threads)
    }

    /// Given dZ = dL/dz (batch, outputs) and the forward input x (batch, inputs): dW = dZᵀ · x and
    /// dB = Σ_batch dZ, overwritten, not accumulated.
    func parameterGradients(_ dZ: Matrix<T>, input x: Matrix<T>, threads: Int = 0) {
        MatrixProduct.multiply(dZ, x, into: dW, transposeA: true, threads: threads)
        Elementwise.columnSums(dZ, into: dB)
    }

    /// dX = dZ · W (batch, inputs), times f'(x) when `gate` names the activation f that produced x. Row i of
    /// dX needs only row i of dZ and x, so a slice of rows can be computed on its own.
    func inputGradient(_ dZ: Matrix<T>, into dX: Matrix<T>, gate: Gemm.Activation?, input x: Matrix<T>, threads: Int = 0) {
        if let gate {
            MatrixProduct.backpropagate(dZ, weight, gate: x, activation: gate, into: dX, threads: threads)
        } else {
            MatrixProduct.multiply(dZ, weight, into: dX, threads: threads)
        }
    }
}
