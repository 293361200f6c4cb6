// Matrix products over views: checks the shapes once, then hands raw pointers to the scalar's gemm
// (Gemm.multiply for Float, a plain double loop for Double).

enum MatrixProduct {
    /// c = alpha · op(a) · op(b) + beta · c, where op transposes when asked. Shapes are checked here.
    @inline(__always) static func multiply<T: EngineScalar>(
        _ a: Matrix<T>, _ b: Matrix<T>, into c: Matrix<T>,
        transposeA: Bool = false, transposeB: Bool = false, alpha: T = 1, beta: T = 0, threads: Int = 0
    ) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kb = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(k == kb && c.rows == m && c.columns == n,
                     "gemm shapes: (\(m)×\(k)) · (\(kb)×\(n)) into (\(c.rows)×\(c.columns))")
        T.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
               alpha: alpha, a: UnsafePointer(a.base), lda: a.columns, b: UnsafePointer(b.base), ldb: b.columns,
               beta: beta, c: c.base, ldc: c.columns, threads: threads)
    }
}
