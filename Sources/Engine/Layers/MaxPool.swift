// Max pooling: forward and backward side by side (the loops are in Kernels/Pooling.swift). No parameters.

/// y = the maximum of each window; the gradient goes to the first maximum of its window.
struct MaxPool<T: EngineScalar> {
    let geometry: PoolGeometry

    func forward(_ x: Matrix<T>, into y: Matrix<T>) { Pooling.maxForward(x, geometry, into: y) }

    /// dX from dY and the forward input x.
    func backward(_ dY: Matrix<T>, input x: Matrix<T>, into dX: Matrix<T>) {
        Pooling.maxBackward(dY, input: x, geometry, into: dX)
    }
}
