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

    /// g[i] ⊙= f'(a[i]) for a relu-family f, from its output a (whose sign is its input's), in place: the gate
    /// the gemm's write-back applies, for layers whose backward is not a gemm.
    @inline(__always) static func gate<T: EngineScalar>(_ g: Matrix<T>, by a: Matrix<T>, activation: Gemm.Activation) {
        precondition(g.count == a.count)
        let gs = g.base, as_ = a.base
        switch activation {
        case .identity: break
        case .relu: for i in 0..<g.count where !(as_[i] > 0) { gs[i] = 0 }
        case .leakyRelu(let slope): for i in 0..<g.count where !(as_[i] > 0) { gs[i] *= T(Double(slope)) }
        }
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

    // MARK: - Optimizer walks
    // `body` turns (p, g[, state…]) into new values in registers; they are stored only when `store`, and each
    // walk reports whether every new value is finite, so a caller can check an update before making it.
    // Finiteness is or-ed as an integer flag: a float reduction would not vectorize.

    /// p, g → p'. Returns whether every p' is finite.
    @inline(__always) static func update<T: EngineScalar>(
        _ p: Matrix<T>, _ g: Matrix<T>, store: Bool, _ body: (inout T, T) -> Void
    ) -> Bool {
        precondition(p.count == g.count)
        let ps = p.base, gs = g.base
        var nonFinite: UInt8 = 0
        for i in 0..<p.count {
            var x = ps[i]
            body(&x, gs[i])
            nonFinite |= x.isFinite ? 0 : 1
            if store { ps[i] = x }
        }
        return nonFinite == 0
    }

    /// p, g, s → p', s'. Returns whether every p' and s' is finite.
    @inline(__always) static func update<T: EngineScalar>(
        _ p: Matrix<T>, _ g: Matrix<T>, _ s: Matrix<T>, store: Bool, _ body: (inout T, T, inout T) -> Void
    ) -> Bool {
        precondition(p.count == g.count && p.count == s.count)
        let ps = p.base, gs = g.base, ss = s.base
        var nonFinite: UInt8 = 0
        for i in 0..<p.count {
            var x = ps[i], u = ss[i]
            body(&x, gs[i], &u)
            nonFinite |= x.isFinite && u.isFinite ? 0 : 1
            if store { ps[i] = x; ss[i] = u }
        }
        return nonFinite == 0
    }

    /// p, g, s1, s2 → p', s1', s2'. Returns whether every new value is finite.
    @inline(__always) static func update<T: EngineScalar>(
        _ p: Matrix<T>, _ g: Matrix<T>, _ s1: Matrix<T>, _ s2: Matrix<T>, store: Bool,
        _ body: (inout T, T, inout T, inout T) -> Void
    ) -> Bool {
        precondition(p.count == g.count && p.count == s1.count && p.count == s2.count)
        let ps = p.base, gs = g.base, ms = s1.base, vs = s2.base
        var nonFinite: UInt8 = 0
        for i in 0..<p.count {
            var x = ps[i], m = ms[i], v = vs[i]
            body(&x, gs[i], &m, &v)
            nonFinite |= x.isFinite && m.isFinite && v.isFinite ? 0 : 1
            if store { ps[i] = x; ms[i] = m; vs[i] = v }
        }
        return nonFinite == 0
    }
}
