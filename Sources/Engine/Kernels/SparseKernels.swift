// The kernels of the first layer over byte images whose pixels are mostly zero (MNIST: 81% of them): summing
// scaled rows of a matrix, one per nonzero (an axpy each, accumulators in registers), the activation, and the
// 16×16 transposes between the layer's (outputs, inputs) layout and the kernels' rows.

enum SparseKernels {
    /// SIMD16 accumulators one pass of `accumulate` keeps in registers: 8 of the 32 zmm registers on AVX-512
    /// builds (a 100-wide layer is one pass of 7), 4 elsewhere (16 ymm registers on AVX2, 32 q on arm64).
    #if MNISTD_AVX512
    static let passVectors = 8
    #else
    static let passVectors = 4
    #endif

    /// out[0..<width] = start[0..<width] + Σ_e values[e] · matrix[indices[e] · stride + 0..<width], the sum
    /// taken in the order of the entries. `width` and `stride` are multiples of 16.
    static func accumulate(width: Int, start: UnsafePointer<Float>, indices: UnsafePointer<UInt32>,
                           values: UnsafePointer<Float>, count: Int, matrix: UnsafePointer<Float>, stride: Int,
                           into out: UnsafeMutablePointer<Float>) {
        precondition(width % 16 == 0 && stride % 16 == 0 && width <= stride)
        var column = 0
        while column < width {
            let vectors = min(passVectors, (width - column) / 16)
            let s = start + column, m = matrix + column, o = out + column
            switch vectors {
            case 8: pass(8, start: s, indices: indices, values: values, count: count, matrix: m, stride: stride, into: o)
            case 7: pass(7, start: s, indices: indices, values: values, count: count, matrix: m, stride: stride, into: o)
            case 6: pass(6, start: s, indices: indices, values: values, count: count, matrix: m, stride: stride, into: o)
            case 5: pass(5, start: s, indices: indices, values: values, count: count, matrix: m, stride: stride, into: o)
            case 4: pass(4, start: s, indices: indices, values: values, count: count, matrix: m, stride: stride, into: o)
            case 3: pass(3, start: s, indices: indices, values: values, count: count, matrix: m, stride: stride, into: o)
            case 2: pass(2, start: s, indices: indices, values: values, count: count, matrix: m, stride: stride, into: o)
            default: pass(1, start: s, indices: indices, values: values, count: count, matrix: m, stride: stride, into: o)
            }
            column += 16 * vectors
        }
    }

    /// One pass of `accumulate` over `vectors` SIMD16 columns. Called with a literal count, so that after
    /// inlining every `vectors > n` test folds away and the accumulators live in registers.
    @inline(__always)
    private static func pass(_ vectors: Int, start: UnsafePointer<Float>, indices: UnsafePointer<UInt32>,
                             values: UnsafePointer<Float>, count: Int, matrix: UnsafePointer<Float>, stride: Int,
                             into out: UnsafeMutablePointer<Float>) {
        typealias V = SIMD16<Float>
        var a0: V = loadVector(start)
        var a1 = vectors > 1 ? loadVector(start + 16) : V(), a2 = vectors > 2 ? loadVector(start + 32) : V()
        var a3 = vectors > 3 ? loadVector(start + 48) : V(), a4 = vectors > 4 ? loadVector(start + 64) : V()
        var a5 = vectors > 5 ? loadVector(start + 80) : V(), a6 = vectors > 6 ? loadVector(start + 96) : V()
        var a7 = vectors > 7 ? loadVector(start + 112) : V()
        for e in 0..<count {
            let row = matrix + Int(indices[e]) * stride
            let x = V(repeating: values[e])
            a0 = multiplyAdd(a0, x, loadVector(row))
            if vectors > 1 { a1 = multiplyAdd(a1, x, loadVector(row + 16)) }
            if vectors > 2 { a2 = multiplyAdd(a2, x, loadVector(row + 32)) }
            if vectors > 3 { a3 = multiplyAdd(a3, x, loadVector(row + 48)) }
            if vectors > 4 { a4 = multiplyAdd(a4, x, loadVector(row + 64)) }
            if vectors > 5 { a5 = multiplyAdd(a5, x, loadVector(row + 80)) }
            if vectors > 6 { a6 = multiplyAdd(a6, x, loadVector(row + 96)) }
            if vectors > 7 { a7 = multiplyAdd(a7, x, loadVector(row + 112)) }
        }
        storeVector(a0, out)
        if vectors > 1 { storeVector(a1, out + 16) }
        if vectors > 2 { storeVector(a2, out + 32) }
        if vectors > 3 { storeVector(a3, out + 48) }
        if vectors > 4 { storeVector(a4, out + 64) }
        if vectors > 5 { storeVector(a5, out + 80) }
        if vectors > 6 { storeVector(a6, out + 96) }
        if vectors > 7 { storeVector(a7, out + 112) }
    }

    /// x[0..<count] = activation(x[0..<count]) in place (count a multiple of 16), lane for lane as the gemm's
    /// epilogue computes it.
    static func activate(_ x: UnsafeMutablePointer<Float>, count: Int, _ activation: Gemm.Activation) {
        precondition(count % 16 == 0)
        for offset in Swift.stride(from: 0, to: count, by: 16) {
            let v: SIMD16<Float> = loadVector(x + offset)
            switch activation {
            case .identity: return
            case .relu: storeVector(select(nonPositiveLanes(v), SIMD16<Float>(), v), x + offset)
            case .leakyRelu(let slope): storeVector(select(nonPositiveLanes(v), v * slope, v), x + offset)
            }
        }
    }

    /// out[p · outStride + t] = src[t · srcStride + p] for t < rows, p < columns: `rows` rows of `src` become
    /// columns of `out`, by 16×16 register transposes where 16 rows are there.
    static func transpose(_ src: UnsafePointer<Float>, rows: Int, columns: Int, srcStride: Int,
                          into out: UnsafeMutablePointer<Float>, outStride: Int) {
        var t0 = 0
        while t0 + 16 <= rows {
            Gemm.packTransposed16(src + t0 * srcStride, ldb: srcStride, kc: columns, into: out + t0, stride: outStride)
            t0 += 16
        }
        for t in t0..<rows {
            let row = src + t * srcStride
            for p in 0..<columns { out[p * outStride + t] = row[p] }
        }
    }
}
