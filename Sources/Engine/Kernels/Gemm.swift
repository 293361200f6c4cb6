// Single-precision matrix multiply for the engine: the entry point every layer calls, the fused epilogue
// variant, and the plain reference loops the fast kernel is tested against.
//
// Kernel: BLIS-style. op(B) is packed per KC×NC panel into 16-column strips, op(A) per MC×KC block into 6-row
// strips (transposes are absorbed by the packing, never materialised), and a 6×16 micro-kernel keeps C in
// twelve SIMD8<Float> FMA accumulators. KC ≤ 384 (split evenly), MC = 192, NC = 1024. Measured on this
// machine's AMD EPYC (Zen 5, 2 cores, AVX2+FMA via -target-cpu haswell, -Ounchecked), 128×784×512:
// see bench/README.md for the current figures.

/// Row-major sgemm: `C = alpha · op(A) · op(B) + beta · C`.
/// op(A) is m×k (A is m×k, or k×m when `transposeA`), op(B) is k×n (B is k×n, or n×k when `transposeB`),
/// C is m×n. `lda`, `ldb`, `ldc` are the row strides of A, B and C as stored. When `beta == 0`, C is not read.
public enum Gemm {
    /// `C = epilogue(alpha · op(A)·op(B) + beta · C)`. `threads`: at most this many cores (0 = the pool's
    /// limit, see `ThreadPool.shared`); small products always run on the calling thread.
    public static func multiply(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
        epilogue: Epilogue = .none, threads: Int = 0
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative dimension")
        precondition(lda >= max(1, transposeA ? m : k), "gemm: lda too small")
        precondition(ldb >= max(1, transposeB ? k : n), "gemm: ldb too small")
        precondition(ldc >= max(1, n), "gemm: ldc too small")
        precondition(epilogue.gate == nil || epilogue.ldGate >= n, "gemm: ldGate too small")
        guard m > 0 && n > 0 else { return }
        let problem = GemmProblem(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc,
            epilogue: epilogue.isTrivial ? nil : epilogue)
        run(problem, threads: threads)
    }

    /// The plain triple loop: the oracle the fast kernel is tested against.
    public static func reference(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
        epilogue: Epilogue = .none
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
                c[i * ldc + j] = epilogue.apply(alpha * sum + old, row: i, column: j)
            }
        }
    }
}
