// A generic view as the Float matrix it is: the layers hand Float batches to the Float-only kernels.

extension Matrix {
    /// This view as Matrix<Float> (only for T == Float).
    var floats: Matrix<Float> {
        precondition(T.self == Float.self, "a Float kernel on a \(T.self) matrix")
        return Matrix<Float>(base: UnsafeMutableRawPointer(base).assumingMemoryBound(to: Float.self),
                             rows: rows, columns: columns)
    }
}
