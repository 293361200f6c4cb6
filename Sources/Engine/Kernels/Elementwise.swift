// The engine's elementwise loops over matrix views: bias adds, column sums, activation maps, optimizer
// updates. The math they apply lives beside the layer that owns it; these only walk the memory.

enum Elementwise {
    /// y[i, j] += bias[j]. y is (batch, outputs), bias is (1, outputs).
    @inline(__always) static func addRowVector<T>(_ y: Matrix<T>, _ bias: Matrix<T>) {
        precondition(bias.count == y.columns)
        let columns = y.columns, b = bias.base
        for i in 0..<y.rows {
            let row = y.base + i * columns
            for j in 0..<columns { row[j] += b[j] }
        }
    }

    /// sums[j] = Σ_i x[i, j]. x is (batch, outputs), sums is (1, outputs).
    @inline(__always) static func columnSums<T>(_ x: Matrix<T>, into sums: Matrix<T>) {
        precondition(sums.count == x.columns)
        let columns = x.columns, s = sums.base
        for j in 0..<columns { s[j] = 0 }
        for i in 0..<x.rows {
            let row = x.base + i * columns
            for j in 0..<columns { s[j] += row[j] }
        }
    }

    /// y = f(x), elementwise over equally shaped views.
    @inline(__always) static func map<T>(_ x: Matrix<T>, into y: Matrix<T>, _ f: (T) -> T) {
        precondition(x.count == y.count)
        let xs = x.base, ys = y.base
        for i in 0..<x.count { ys[i] = f(xs[i]) }
    }

    /// g[i] = g[i] · f'(z[i], a[i]): backward through an elementwise activation, in place.
    @inline(__always) static func scaleByDerivative<T>(
        _ g: Matrix<T>, z: Matrix<T>, a: Matrix<T>, _ derivative: (T, T) -> T
    ) {
        precondition(g.count == z.count && g.count == a.count)
        let gs = g.base, zs = z.base, as_ = a.base
        for i in 0..<g.count { gs[i] *= derivative(zs[i], as_[i]) }
    }

    /// Sets every element to `value`.
    @inline(__always) static func fill<T>(_ x: Matrix<T>, _ value: T) {
        x.base.update(repeating: value, count: x.count)
    }

    /// Copies `count` scalars from `source` to row `row` of `x` (gathering a minibatch).
    @inline(__always) static func copyRow<T>(_ source: UnsafePointer<T>, into x: Matrix<T>, row: Int) {
        precondition(row < x.rows)
        (x.base + row * x.columns).update(from: source, count: x.columns)
    }

    /// True when no element is NaN or infinite.
    @inline(__always) static func allFinite<T>(_ x: Matrix<T>) -> Bool {
        // One sum over the view: a NaN or ±inf anywhere makes it non-finite (inf - inf is NaN too).
        var sum: T = 0
        let xs = x.base
        for i in 0..<x.count { sum += xs[i] * 0 }
        return sum.isFinite
    }

    /// Σ x², for norms.
    @inline(__always) static func sumOfSquares<T>(_ x: Matrix<T>) -> T {
        var sum: T = 0
        let xs = x.base
        for i in 0..<x.count { sum += xs[i] * xs[i] }
        return sum
    }

    /// Walks `count` elements of the parameter, gradient and up to two state vectors together (optimizers).
    @inline(__always) static func update<T>(
        _ p: Matrix<T>, _ g: Matrix<T>, _ s1: Matrix<T>?, _ s2: Matrix<T>?,
        _ body: (inout T, T, inout T, inout T) -> Void
    ) {
        precondition(p.count == g.count)
        let ps = p.base, gs = g.base
        var d1: T = 0, d2: T = 0
        let m = s1?.base, v = s2?.base
        for i in 0..<p.count {
            if let m, let v {
                body(&ps[i], gs[i], &m[i], &v[i])
            } else if let m {
                body(&ps[i], gs[i], &m[i], &d2)
            } else {
                body(&ps[i], gs[i], &d1, &d2)
            }
        }
    }
}
