// The short micro-kernels of AVX-512 builds: 4×32, 4×16 and 4×8 tiles for the last rows of a row block, which
// come packed and zero-padded to 12. A 128-row batch ends in 8 such rows and a 100-row one in 4: the 12-row
// kernel would spend a third or two thirds of its multiply-adds on the padding. One kernel per width, not a
// generic one, for the reason given at `microKernelQuarter`.
#if MNISTD_AVX512

extension Gemm {
    /// `tile = alpha · Apacked(4×kc) · Bpanel(kc×32) + beta · tile`, then the epilogue;
    /// A(r, p) = `a[r + p · aStep]`.
    @inline(__always)
    static func microKernelShort(kc: Int, a: UnsafePointer<Float>, aStep: Int,
                                 b: UnsafePointer<Float>, bStep: Int, tile: GemmTile) {
        var c0_0 = SIMD16<Float>(), c0_1 = SIMD16<Float>(), c1_0 = SIMD16<Float>(), c1_1 = SIMD16<Float>()
        var c2_0 = SIMD16<Float>(), c2_1 = SIMD16<Float>(), c3_0 = SIMD16<Float>(), c3_1 = SIMD16<Float>()
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0: SIMD16<Float> = loadVector(pb)
            let b1: SIMD16<Float> = loadVector(pb + 16)
            let x0 = SIMD16<Float>(repeating: pa[0])
            c0_0 = multiplyAdd(c0_0, x0, b0); c0_1 = multiplyAdd(c0_1, x0, b1)
            let x1 = SIMD16<Float>(repeating: pa[1])
            c1_0 = multiplyAdd(c1_0, x1, b0); c1_1 = multiplyAdd(c1_1, x1, b1)
            let x2 = SIMD16<Float>(repeating: pa[2])
            c2_0 = multiplyAdd(c2_0, x2, b0); c2_1 = multiplyAdd(c2_1, x2, b1)
            let x3 = SIMD16<Float>(repeating: pa[3])
            c3_0 = multiplyAdd(c3_0, x3, b0); c3_1 = multiplyAdd(c3_1, x3, b1)
            pa += aStep
            pb += bStep
        }
        writeRow(c0_0, c0_1, tile: tile, r: 0)
        writeRow(c1_0, c1_1, tile: tile, r: 1)
        writeRow(c2_0, c2_1, tile: tile, r: 2)
        writeRow(c3_0, c3_1, tile: tile, r: 3)
    }

    /// The same for a strip of ≤ 16 columns.
    @inline(__always)
    static func microKernelShortHalf(kc: Int, a: UnsafePointer<Float>, aStep: Int,
                                     b: UnsafePointer<Float>, bStep: Int, tile: GemmTile) {
        var c0 = SIMD16<Float>(), c1 = c0, c2 = c0, c3 = c0
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0: SIMD16<Float> = loadVector(pb)
            c0 = multiplyAdd(c0, SIMD16<Float>(repeating: pa[0]), b0)
            c1 = multiplyAdd(c1, SIMD16<Float>(repeating: pa[1]), b0)
            c2 = multiplyAdd(c2, SIMD16<Float>(repeating: pa[2]), b0)
            c3 = multiplyAdd(c3, SIMD16<Float>(repeating: pa[3]), b0)
            pa += aStep
            pb += bStep
        }
        writeRow(c0, tile: tile, r: 0); writeRow(c1, tile: tile, r: 1)
        writeRow(c2, tile: tile, r: 2); writeRow(c3, tile: tile, r: 3)
    }

    /// The same for a strip of ≤ 8 columns.
    @inline(__always)
    static func microKernelShortQuarter(kc: Int, a: UnsafePointer<Float>, aStep: Int,
                                        b: UnsafePointer<Float>, bStep: Int, tile: GemmTile) {
        var c0 = SIMD8<Float>(), c1 = c0, c2 = c0, c3 = c0
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0: SIMD8<Float> = loadVector(pb)
            c0 = multiplyAdd(c0, SIMD8<Float>(repeating: pa[0]), b0)
            c1 = multiplyAdd(c1, SIMD8<Float>(repeating: pa[1]), b0)
            c2 = multiplyAdd(c2, SIMD8<Float>(repeating: pa[2]), b0)
            c3 = multiplyAdd(c3, SIMD8<Float>(repeating: pa[3]), b0)
            pa += aStep
            pb += bStep
        }
        writeRow(c0, tile: tile, r: 0); writeRow(c1, tile: tile, r: 1)
        writeRow(c2, tile: tile, r: 2); writeRow(c3, tile: tile, r: 3)
    }
}
#endif
