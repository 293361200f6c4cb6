// Single-precision matrix multiply for the engine: the entry point every layer calls.
// For now it forwards to the reference loops; the blocked SIMD kernel replaces the body (issue 4).

/// Row-major sgemm: `C = alpha · op(A) · op(B) + beta · C`.
/// op(A) is m×k (A is m×k, or k×m when `transposeA`), op(B) is k×n (B is k×n, or n×k when `transposeB`),
/// C is m×n. `lda`, `ldb`, `ldc` are the row strides of A, B and C as stored.
public enum Gemm {
    public static func multiply(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        reference(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                  alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// The plain triple loop: the oracle the fast kernel is tested against, and the fallback.
    public static func reference(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k {
                    let x = transposeA ? a[p * lda + i] : a[i * lda + p]
                    let y = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += x * y
                }
                let old = beta == 0 ? 0 : beta * c[i * ldc + j]
                c[i * ldc + j] = alpha * sum + old
            }
        }
    }
}
