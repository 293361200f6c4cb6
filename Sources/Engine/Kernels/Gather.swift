// Copying samples out of a data set array into a workspace matrix: the minibatch gather.

enum Gather {
    /// x[r] = images[indices[start + r]] for r in 0..<x.rows; images is (count, x.columns) row-major.
    static func rows<T: EngineScalar>(of images: [T], indices: [Int32], start: Int, into x: Matrix<T>) {
        precondition(start + x.rows <= indices.count)
        let width = x.columns
        images.withUnsafeBufferPointer { source in
            for r in 0..<x.rows {
                let index = Int(indices[start + r])
                precondition((index + 1) * width <= source.count, "sample \(index) outside the data set")
                Elementwise.copyRow(source.baseAddress! + index * width, into: x, row: r)
            }
        }
    }

    /// x[r] = images[start + r]: consecutive samples (evaluation, prediction).
    static func consecutive<T: EngineScalar>(of images: [T], start: Int, into x: Matrix<T>) {
        let width = x.columns
        precondition((start + x.rows) * width <= images.count)
        images.withUnsafeBufferPointer { source in
            (x.base).update(from: source.baseAddress! + start * width, count: x.rows * width)
        }
    }
}
