// Flatten: reorders a sample from the engine's (height, width, channels) to PyTorch's (channels, height,
// width), so the dense layer after it has the weight columns PyTorch's flatten(1) on NCHW gives.

/// y[c·H·W + p] = x[p·C + c] for every position p and channel c; backward is the inverse permutation.
struct Flatten<T: EngineScalar> {
    let shape: TensorShape

    func forward(_ x: Matrix<T>, into y: Matrix<T>) {
        let c = shape.channels, positions = shape.positions
        for n in 0..<x.rows {
            for p in 0..<positions { for ch in 0..<c { y[n, ch * positions + p] = x[n, p * c + ch] } }
        }
    }

    func backward(_ dY: Matrix<T>, into dX: Matrix<T>) {
        let c = shape.channels, positions = shape.positions
        for n in 0..<dY.rows {
            for p in 0..<positions { for ch in 0..<c { dX[n, p * c + ch] = dY[n, ch * positions + p] } }
        }
    }
}
