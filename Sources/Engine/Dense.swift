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

    /// z = x · Wᵀ + b. x is (batch, inputs), z is (batch, outputs).
    func forward(_ x: Matrix<T>, into z: Matrix<T>, threads: Int = 0) {
        MatrixProduct.multiply(x, weight, into: z, transposeB: true, threads: threads)
        Elementwise.addRowVector(z, bias)
    }

    /// Given dZ = dL/dz (batch, outputs) and the forward input x (batch, inputs): dW = dZᵀ · x,
    /// dB = Σ_batch dZ, and when asked dX = dZ · W (batch, inputs). Gradients are overwritten, not accumulated.
    func backward(_ dZ: Matrix<T>, input x: Matrix<T>, dX: Matrix<T>?, threads: Int = 0) {
        MatrixProduct.multiply(dZ, x, into: dW, transposeA: true, threads: threads)
        Elementwise.columnSums(dZ, into: dB)
        if let dX { MatrixProduct.multiply(dZ, weight, into: dX, threads: threads) }
    }
}
