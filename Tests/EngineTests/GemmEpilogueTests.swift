// The fused epilogue: bias + activation on the forward product, the activation-gradient gate on the backward
// one, each checked against the plain product followed by the same step done by hand.
import Testing
@testable import Engine

/// op(A)·op(B) with the reference loop, no epilogue: the starting point of every hand-made expectation.
func plainProduct(_ a: TestMatrix, _ b: TestMatrix, m: Int, n: Int, k: Int, transposeB: Bool) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    Gemm.reference(transposeA: false, transposeB: transposeB, m: m, n: n, k: k, alpha: 1, a: a.values, lda: a.stride,
                   b: b.values, ldb: b.stride, beta: 0, c: &c, ldc: n)
    return c
}

func fused(_ a: TestMatrix, _ b: TestMatrix, m: Int, n: Int, k: Int, transposeB: Bool,
           epilogue: Gemm.Epilogue) -> [Float] {
    var c = [Float](repeating: .nan, count: m * n)
    Gemm.multiply(transposeA: false, transposeB: transposeB, m: m, n: n, k: k, alpha: 1, a: a.values, lda: a.stride,
                  b: b.values, ldb: b.stride, beta: 0, c: &c, ldc: n, epilogue: epilogue)
    return c
}

/// Σ_p |op(A)[i, p] · op(B)[p, j]| per element of C, in Double: the size of the terms each sum rounds.
func productMagnitude(_ a: TestMatrix, _ b: TestMatrix, m: Int, n: Int, k: Int, transposeB: Bool) -> [Double] {
    (0..<(m * n)).map { index in
        let i = index / n, j = index % n
        return (0..<k).reduce(0.0) { sum, p in
            sum + abs(Double(a.values[i * a.stride + p]) * Double(transposeB ? b.values[j * b.stride + p] : b.values[p * b.stride + j]))
        }
    }
}

/// The largest |x − y| as a share of what two Float computations of a sum of k + 1 terms (the product and a
/// bias) can differ by: 2 γ_(k+2) · magnitude (`FloatRounding`). Above 1 is an error; NaN counts as infinite.
func largestDifference(_ x: [Float], _ y: [Float], magnitude: [Double], k: Int) -> Double {
    let gamma = 2 * FloatRounding.gamma(k + 2)
    return (0..<x.count).map { i in
        x[i].isNaN || y[i].isNaN ? .infinity : x[i] == y[i] ? 0 : Double(abs(x[i] - y[i])) / (gamma * magnitude[i])
    }.max() ?? 0
}

@Test(arguments: [(13, 37, 50), (128, 100, 784), (6, 16, 9)])
func epilogue_biasAndReluMatchTheUnfusedSteps(shape: (Int, Int, Int)) {
    let (m, n, k) = shape
    let x = TestMatrix(rows: m, columns: k, seed: 3), w = TestMatrix(rows: n, columns: k, seed: 4)
    let bias = TestMatrix(rows: 1, columns: n, seed: 5).values
    let expected = plainProduct(x, w, m: m, n: n, k: k, transposeB: true).enumerated().map { index, v in
        max(0, v + bias[index % n])
    }
    let result = bias.withUnsafeBufferPointer { bias in
        fused(x, w, m: m, n: n, k: k, transposeB: true,
              epilogue: Gemm.Epilogue(bias: bias.baseAddress!, activation: .relu))
    }
    let magnitude = productMagnitude(x, w, m: m, n: n, k: k, transposeB: true).enumerated().map { $1 + Double(abs(bias[$0 % n])) }
    #expect(largestDifference(result, expected, magnitude: magnitude, k: k) <= 1)
    #expect(result.contains { $0 == 0 } && result.contains { $0 > 0 })
}

@Test func epilogue_leakyReluScalesNegativesBySlope() {
    let (m, n, k) = (19, 45, 33)
    let x = TestMatrix(rows: m, columns: k, seed: 6), w = TestMatrix(rows: k, columns: n, seed: 7)
    let expected = plainProduct(x, w, m: m, n: n, k: k, transposeB: false).map { $0 > 0 ? $0 : 0.1 * $0 }
    let result = fused(x, w, m: m, n: n, k: k, transposeB: false,
                       epilogue: Gemm.Epilogue(activation: .leakyRelu(slope: 0.1)))
    let magnitude = productMagnitude(x, w, m: m, n: n, k: k, transposeB: false)
    #expect(largestDifference(result, expected, magnitude: magnitude, k: k) <= 1)
    #expect(result.contains { $0 < 0 })
}

@Test(arguments: [Gemm.Activation.relu, .leakyRelu(slope: 0.25)])
func epilogue_activationGradientGatesByTheForwardValues(activation: Gemm.Activation) {
    let (m, n, k) = (70, 23, 41)
    let dZ = TestMatrix(rows: m, columns: k, seed: 8), w = TestMatrix(rows: k, columns: n, seed: 9)
    let z = TestMatrix(rows: m, columns: n, padding: 5, seed: 10)
    let slope: Float = activation == .relu ? 0 : 0.25
    let expected = plainProduct(dZ, w, m: m, n: n, k: k, transposeB: false).enumerated().map { index, v in
        z.values[(index / n) * z.stride + index % n] > 0 ? v : slope * v
    }
    let result = z.values.withUnsafeBufferPointer { gate in
        fused(dZ, w, m: m, n: n, k: k, transposeB: false,
              epilogue: .activationGradient(activation, of: gate.baseAddress!, ld: z.stride))
    }
    let magnitude = productMagnitude(dZ, w, m: m, n: n, k: k, transposeB: false)
    #expect(largestDifference(result, expected, magnitude: magnitude, k: k) <= 1)
}

@Test func epilogue_runsOnceWhenDepthSpansSeveralBlocks() {
    // k = 1000 is three k blocks: bias and relu must apply to the full sum, not to each partial one.
    let (m, n, k) = (20, 24, 1000)
    let x = TestMatrix(rows: m, columns: k, seed: 11), w = TestMatrix(rows: n, columns: k, seed: 12)
    let bias = [Float](repeating: 3, count: n)
    let expected = plainProduct(x, w, m: m, n: n, k: k, transposeB: true).map { max(0, $0 + 3) }
    let result = bias.withUnsafeBufferPointer { bias in
        fused(x, w, m: m, n: n, k: k, transposeB: true,
              epilogue: Gemm.Epilogue(bias: bias.baseAddress!, activation: .relu))
    }
    let magnitude = productMagnitude(x, w, m: m, n: n, k: k, transposeB: true).map { $0 + 3 }
    #expect(largestDifference(result, expected, magnitude: magnitude, k: k) <= 1)
}

@Test(arguments: [Gemm.Activation.relu, .leakyRelu(slope: 0.5)])
func epilogue_gateTreatsSignedZerosAsInactiveAndTinyPositivesAsActive(activation: Gemm.Activation) {
    // A relu layer's output is exactly +0 (or −0) for every inactive unit: the gate must close there.
    let (m, n, k) = (12, 32, 5)
    let dZ = TestMatrix(rows: m, columns: k, seed: 13), w = TestMatrix(rows: k, columns: n, seed: 14)
    let special: [Float] = [0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 1, -1, .infinity, -.infinity]
    let gate = (0..<(m * n)).map { special[$0 % special.count] }
    let slope: Float = activation == .relu ? 0 : 0.5
    let expected = plainProduct(dZ, w, m: m, n: n, k: k, transposeB: false).enumerated().map { index, v in
        gate[index] > 0 ? v : slope * v
    }
    let result = gate.withUnsafeBufferPointer { gate in
        fused(dZ, w, m: m, n: n, k: k, transposeB: false,
              epilogue: .activationGradient(activation, of: gate.baseAddress!, ld: n))
    }
    let magnitude = productMagnitude(dZ, w, m: m, n: n, k: k, transposeB: false)
    #expect(largestDifference(result, expected, magnitude: magnitude, k: k) <= 1)
    #expect(zip(result, gate).allSatisfy { activation != .relu || $1 > 0 || $0 == 0 })
}

