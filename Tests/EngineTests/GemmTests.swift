// The blocked SIMD gemm against the reference triple loop: odd shapes, every transpose, alpha/beta, padded
// strides, and multi-threaded against single-threaded.
import Testing
@testable import Engine

/// A row-major matrix with a padded row stride, filled with reproducible values in [-1, 1).
struct TestMatrix {
    let rows: Int, columns: Int, stride: Int
    var values: [Float]

    init(rows: Int, columns: Int, padding: Int = 0, seed: UInt64, fill: Float? = nil) {
        self.rows = rows
        self.columns = columns
        stride = max(1, columns + padding)
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        values = (0..<(max(rows, 1) * stride)).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return fill ?? (Float(state >> 40) / Float(1 << 23) - 1)
        }
    }
}

/// Runs fast and reference gemm on copies of the same C; returns the largest difference as a share of what
/// the two summation orders can differ by (each result is within γ_(k+2) · (|α| Σ|a·b| + |β c|) of the exact
/// value, `FloatRounding`), so anything above 1 is an error, and whether the padding columns of C stayed
/// untouched.
func compareWithReference(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0,
    padding: Int = 0, epilogue: Gemm.Epilogue = .none, threads: Int = 0, seed: UInt64 = 1
) -> (error: Float, paddingIntact: Bool) {
    let a = TestMatrix(rows: transposeA ? k : m, columns: transposeA ? m : k, padding: padding, seed: seed)
    let b = TestMatrix(rows: transposeB ? n : k, columns: transposeB ? k : n, padding: padding * 2, seed: seed + 1)
    // beta == 0 must not read C: start from NaN there.
    var fast = TestMatrix(rows: m, columns: n, padding: padding + 1, seed: seed + 2, fill: beta == 0 ? .nan : nil)
    let sentinel: Float = 12345
    for i in 0..<m { for j in n..<fast.stride { fast.values[i * fast.stride + j] = sentinel } }
    var slow = fast
    let start = fast
    Gemm.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                  a: a.values, lda: a.stride, b: b.values, ldb: b.stride, beta: beta,
                  c: &fast.values, ldc: fast.stride, epilogue: epilogue, threads: threads)
    Gemm.reference(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                   a: a.values, lda: a.stride, b: b.values, ldb: b.stride, beta: beta,
                   c: &slow.values, ldc: slow.stride, epilogue: epilogue)
    var error: Float = 0
    var intact = true
    for i in 0..<m {
        for j in 0..<fast.stride {
            let x = fast.values[i * fast.stride + j], y = slow.values[i * fast.stride + j]
            if j >= n { intact = intact && x == sentinel; continue }
            var magnitude = abs(Double(beta) * Double(start.values[i * fast.stride + j]))
            for p in 0..<k {
                let left = transposeA ? a.values[p * a.stride + i] : a.values[i * a.stride + p]
                let right = transposeB ? b.values[j * b.stride + p] : b.values[p * b.stride + j]
                magnitude += abs(Double(alpha) * Double(left) * Double(right))
            }
            let bound = 2 * FloatRounding.gamma(k + 2) * magnitude
            let difference = Double(abs(x - y))
            error = max(error, x.isNaN || y.isNaN ? .infinity : difference == 0 ? 0 : Float(difference / bound))
        }
    }
    return (error, intact)
}

let oddSizes = [1, 2, 4, 5, 6, 7, 12, 13, 15, 16, 17, 31, 32, 33, 36, 48, 67]
let oddDepths = [1, 3, 8, 17, 67]
let transposes = [(false, false), (true, false), (false, true), (true, true)]

@Test(arguments: 0..<4)
func multiply_matchesReferenceOnOddShapes(variant: Int) {
    let (transposeA, transposeB) = transposes[variant]
    var worst: Float = 0
    for m in oddSizes {
        for n in oddSizes {
            for k in oddDepths {
                let result = compareWithReference(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                                  seed: UInt64(m * 10_000 + n * 100 + k))
                #expect(result.paddingIntact, "m=\(m) n=\(n) k=\(k) wrote past column n")
                worst = max(worst, result.error)
            }
        }
    }
    #expect(worst <= 1, "transposeA=\(transposeA) transposeB=\(transposeB): worst error \(worst)")
}

@Test(arguments: 0..<4)
func multiply_honoursAlphaBetaAndStrides(variant: Int) {
    let (transposeA, transposeB) = transposes[variant]
    for (alpha, beta) in [(Float(0.5), Float(0)), (1, 1), (-1.5, -0.75), (0, 2)] {
        for (m, n, k) in [(7, 17, 5), (13, 33, 67), (67, 5, 31)] {
            let result = compareWithReference(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                              alpha: alpha, beta: beta, padding: 3)
            #expect(result.error <= 1, "alpha=\(alpha) beta=\(beta) m=\(m) n=\(n) k=\(k): \(result.error)")
            #expect(result.paddingIntact)
        }
    }
}

@Test(arguments: [(128, 512, 784), (200, 300, 800), (7, 1100, 5), (784, 100, 128), (385, 70, 1000)])
func multiply_matchesReferenceOnLargeShapesAcrossCacheBlocks(shape: (Int, Int, Int)) {
    let (m, n, k) = shape
    for (transposeA, transposeB) in transposes {
        let result = compareWithReference(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                          beta: 0.5, padding: 1)
        #expect(result.error <= 1, "m=\(m) n=\(n) k=\(k) tA=\(transposeA) tB=\(transposeB): \(result.error)")
        #expect(result.paddingIntact)
    }
}

@Test func multiply_withZeroDepthScalesC() {
    let result = compareWithReference(transposeA: false, transposeB: false, m: 9, n: 20, k: 0, beta: 0.25)
    #expect(result.error == 0)
}

@Test(arguments: [(128, 512, 784), (784, 100, 128), (128, 100, 784), (96, 96, 96)])
func multiply_multiThreadedEqualsSingleThreaded(shape: (Int, Int, Int)) {
    let (m, n, k) = shape
    let a = TestMatrix(rows: m, columns: k, seed: 7), b = TestMatrix(rows: n, columns: k, seed: 8)
    var single = [Float](repeating: 0, count: m * n), multi = single
    Gemm.multiply(transposeA: false, transposeB: true, m: m, n: n, k: k, alpha: 1, a: a.values, lda: k,
                  b: b.values, ldb: k, beta: 0, c: &single, ldc: n, threads: 1)
    Gemm.multiply(transposeA: false, transposeB: true, m: m, n: n, k: k, alpha: 1, a: a.values, lda: k,
                  b: b.values, ldb: k, beta: 0, c: &multi, ldc: n, threads: ThreadPool.shared.cores)
    // Threads split C, never the sum over k: the same bits.
    #expect(single.map(\.bitPattern) == multi.map(\.bitPattern))
    #expect(single.contains { $0 != 0 })
}
