// Average pooling: forward and backward side by side (the loops are in Kernels/Pooling.swift). No parameters.

/// y = the mean of each window (no padding, so every window has size.height × size.width inputs).
struct AvgPool<T: EngineScalar> {
    let geometry: PoolGeometry

    func forward(_ x: Matrix<T>, into y: Matrix<T>) { Pooling.averageForward(x, geometry, into: y) }

    func backward(_ dY: Matrix<T>, into dX: Matrix<T>) { Pooling.averageBackward(dY, geometry, into: dX) }
}
