// Single-precision matrix multiply for the engine: the entry point every layer calls, the fused epilogue
// variant, and the plain reference loops the fast kernel is tested against.
//
// Kernel: BLIS-style. op(B) is packed per KC×NC panel into nr-column strips (a transposed B by 16×16 register
// transposes; full strips of an untransposed B are read in place at stride ldb instead), op(A) is read in place
// as the broadcast stream (only a last short row strip is packed), and an
// mr×nr micro-kernel keeps its tile of C in FMA accumulators: 12×32 in 24 SIMD16<Float> (AVX-512 builds) or
// 6×16 in 12 SIMD8<Float> (haswell, generic, arm64); a last strip of ≤ nr/2 columns uses a half-width kernel.
// KC ≤ 256 (AVX-512) / 384, split evenly; MC = 192; NC = 1024. Bias, activation and the backprop activation
// gate are applied while the tile is in registers (Gemm.Epilogue). Products of ≥ 2^20 multiply-adds are split
// over the shared ThreadPool by rows or columns. Measured single-thread, 128×784×512, on this machine's AMD EPYC
// (Zen 5): 196–208 GFLOP/s AVX-512 (~245 since B is read in place), 108 haswell, 29 generic; numpy/OpenBLAS
// 117–132 (bench/README.md).

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
