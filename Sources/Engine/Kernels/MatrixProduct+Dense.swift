// A dense layer's two products with their elementwise passes fused in: forward y = f(x·Wᵀ + b) and backward
// dX = (dZ·W) ⊙ f'(a). Float runs them in the gemm's write-back (Gemm.Epilogue); Double, whose plain loop has
// no epilogue, in separate passes with the same arithmetic.

extension MatrixProduct {
    /// y = activation(x · wᵀ + bias). x is (batch, inputs), w (outputs, inputs), bias (1, outputs),
    /// y (batch, outputs).
    @inline(__always) static func affine<T: EngineScalar>(
        _ x: Matrix<T>, _ w: Matrix<T>, bias: Matrix<T>, activation: Gemm.Activation, into y: Matrix<T>,
        threads: Int = 0
    ) {
        precondition(x.columns == w.columns && y.rows == x.rows && y.columns == w.rows && bias.count == w.rows,
                     "affine shapes: (\(x.rows)×\(x.columns)) · (\(w.rows)×\(w.columns))ᵀ into (\(y.rows)×\(y.columns))")
        if T.self == Float.self {
            Gemm.multiply(transposeA: false, transposeB: true, m: x.rows, n: w.rows, k: x.columns,
                          alpha: 1, a: floats(x), lda: x.columns, b: floats(w), ldb: w.columns,
                          beta: 0, c: UnsafeMutablePointer(mutating: floats(y)), ldc: y.columns,
                          epilogue: .init(bias: floats(bias), activation: activation), threads: threads)
            return
        }
        multiply(x, w, into: y, transposeB: true, threads: threads)
        Elementwise.addRowVector(y, bias)
        switch activation {
        case .identity: break
        case .relu: Elementwise.map(y, into: y) { $0 > 0 ? $0 : 0 }
        case .leakyRelu(let slope): Elementwise.map(y, into: y) { $0 > 0 ? $0 : T(slope) * $0 }
        }
    }

    /// dX = (dZ · w) ⊙ activation'(gate), where gate (batch, inputs) holds the previous layer's outputs (for
    /// relu and leaky relu with slope ≥ 0 they have the sign of its inputs). dZ is (batch, outputs),
    /// w (outputs, inputs).
    @inline(__always) static func backpropagate<T: EngineScalar>(
        _ dZ: Matrix<T>, _ w: Matrix<T>, gate: Matrix<T>, activation: Gemm.Activation, into dX: Matrix<T>,
        threads: Int = 0
    ) {
        precondition(dZ.columns == w.rows && dX.rows == dZ.rows && dX.columns == w.columns
                     && gate.rows == dX.rows && gate.columns == dX.columns, "backpropagate shapes")
        if T.self == Float.self {
            Gemm.multiply(transposeA: false, transposeB: false, m: dZ.rows, n: w.columns, k: dZ.columns,
                          alpha: 1, a: floats(dZ), lda: dZ.columns, b: floats(w), ldb: w.columns,
                          beta: 0, c: UnsafeMutablePointer(mutating: floats(dX)), ldc: dX.columns,
                          epilogue: .activationGradient(activation, of: floats(gate), ld: gate.columns),
                          threads: threads)
            return
        }
        multiply(dZ, w, into: dX, threads: threads)
        let g = dX.base, a = gate.base
        for i in 0..<dX.count where !(a[i] > 0) {
            switch activation {
            case .identity: break
            case .relu: g[i] = 0
            case .leakyRelu(let slope): g[i] *= T(slope)
            }
        }
    }

    /// A Float matrix's numbers (callers have checked that T is Float).
    @inline(__always) private static func floats<T>(_ x: Matrix<T>) -> UnsafePointer<Float> {
        UnsafeRawPointer(x.base).assumingMemoryBound(to: Float.self)
    }
}

extension MatrixProduct {
    /// dW[:, columns] = dZᵀ · x[:, columns] on the calling thread: one slice of a Float layer's weight gradient.
    /// dZ is (batch, outputs), x (batch, inputs), dW (outputs, inputs). Slices that start at multiples of the
    /// kernel's strip width are computed tile for tile as the whole product would be, so they equal it bit for bit.
    static func weightGradient(_ dZ: Matrix<Float>, _ x: Matrix<Float>, into dW: Matrix<Float>, columns: Range<Int>) {
        precondition(dZ.rows == x.rows && dW.rows == dZ.columns && dW.columns == x.columns
                     && columns.lowerBound >= 0 && columns.upperBound <= x.columns, "weight gradient shapes")
        Gemm.multiply(transposeA: true, transposeB: false, m: dW.rows, n: columns.count, k: dZ.rows,
                      alpha: 1, a: dZ.base, lda: dZ.columns, b: x.base + columns.lowerBound, ldb: x.columns,
                      beta: 0, c: dW.base + columns.lowerBound, ldc: dW.columns, threads: 1)
    }
}
