// Max pooling: forward and backward side by side (the loops are in Kernels/Pooling.swift). No parameters.

/// y = the maximum of each window; the gradient goes to the first maximum of its window.
struct MaxPool<T: EngineScalar> {
    let geometry: PoolGeometry

    /// y from x; with `argmax` (shaped like y), also where each maximum is, for `backward(_:argmax:into:)`.
    /// Float batches are split over up to `threads` cores (0 = the pool's limit).
    func forward(_ x: Matrix<T>, into y: Matrix<T>, argmax: Matrix<T>? = nil, threads: Int = 1) {
        if T.self == Float.self {
            let work = Pooling.Chunks(kind: .maxForward, g: geometry, source: x.floats, destination: y.floats,
                                      argmax: argmax?.floats, gate: nil, gateActivation: .identity)
            BatchTask.run(.pooling(work), chunks: work.chunks, threads: threads)
        } else {
            Pooling.maxForward(x, geometry, into: y, argmax: argmax)
        }
    }

    /// dX from dY and the forward input x, finding each window's maximum again.
    func backward(_ dY: Matrix<T>, input x: Matrix<T>, into dX: Matrix<T>) {
        Pooling.maxBackward(dY, input: x, geometry, into: dX)
    }

    /// dX from dY and the offsets the forward pass recorded. With `gate` (Float), dX is then gated by the
    /// derivative of the layer below's activation at its outputs. Returns whether it applied the gate.
    @discardableResult
    func backward(_ dY: Matrix<T>, argmax: Matrix<T>, into dX: Matrix<T>,
                  gate: (outputs: Matrix<T>, activation: Gemm.Activation)? = nil, threads: Int = 1) -> Bool {
        guard T.self == Float.self else {
            Pooling.maxBackward(dY, argmax: argmax, geometry, into: dX)
            return false
        }
        let work = Pooling.Chunks(kind: .maxBackward, g: geometry, source: dY.floats, destination: dX.floats,
                                  argmax: argmax.floats, gate: gate?.outputs.floats,
                                  gateActivation: gate?.activation ?? .identity)
        BatchTask.run(.pooling(work), chunks: work.chunks, threads: threads)
        return gate != nil
    }
}
