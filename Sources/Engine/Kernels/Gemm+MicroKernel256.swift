// The micro-kernels of builds without AVX-512 (haswell, generic x86_64, arm64): a 6×16 tile of C in twelve
// SIMD8<Float> accumulators, and a 6×8 one for a last strip of at most 8 columns. Rows are unrolled by hand
// so that every accumulator stays in a register; edit both kernels alike.
#if !MNISTD_AVX512

extension Gemm {
    /// Rows of a micro-tile (broadcast from packed A).
    static let mr = 6
    /// Columns of a full micro-tile (vector loads from packed B); a last strip of ≤ nr/2 columns is half as wide.
    static let nr = 16
    /// The narrowest strip.
    static let narrowestStrip = 8
    /// No short kernels here: a block's last rows use the 6-row kernels on packed, zero-padded A.
    static let shortRows = mr

    /// One micro-tile: the kernel for the strip's width (`short` makes no difference in these builds).
    @inline(__always)
    static func runTile(strip: Int, short: Bool, kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                        b: UnsafePointer<Float>, bStep: Int, tile: GemmTile) {
        if strip == nr { microKernel(kc: kc, a: a, aRow: aRow, aStep: aStep, b: b, bStep: bStep, tile: tile) }
        else { microKernelHalf(kc: kc, a: a, aRow: aRow, aStep: aStep, b: b, bStep: bStep, tile: tile) }
    }

    /// A(r, p) is `a[r · aRow + p · aStep]`: a packed strip (1, mr), or A itself read in place. Row p of the
    /// B panel starts at `b + p · bStep`: a packed strip (bStep = its width), or B itself (bStep = ldb).
    /// `tile = alpha · Apanel(6×kc) · Bpanel(kc×16) + beta · tile`, then the epilogue.
    @inline(__always)
    static func microKernel(kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                                b: UnsafePointer<Float>, bStep: Int, tile: GemmTile) {
        var c0_0 = SIMD8<Float>(); var c0_1 = SIMD8<Float>()
        var c1_0 = SIMD8<Float>(); var c1_1 = SIMD8<Float>()
        var c2_0 = SIMD8<Float>(); var c2_1 = SIMD8<Float>()
        var c3_0 = SIMD8<Float>(); var c3_1 = SIMD8<Float>()
        var c4_0 = SIMD8<Float>(); var c4_1 = SIMD8<Float>()
        var c5_0 = SIMD8<Float>(); var c5_1 = SIMD8<Float>()
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0: SIMD8<Float> = loadVector(pb)
            let b1: SIMD8<Float> = loadVector(pb + 8)
            let x0 = SIMD8<Float>(repeating: pa[0])
            c0_0 = multiplyAdd(c0_0, x0, b0); c0_1 = multiplyAdd(c0_1, x0, b1)
            let x1 = SIMD8<Float>(repeating: pa[1 * aRow])
            c1_0 = multiplyAdd(c1_0, x1, b0); c1_1 = multiplyAdd(c1_1, x1, b1)
            let x2 = SIMD8<Float>(repeating: pa[2 * aRow])
            c2_0 = multiplyAdd(c2_0, x2, b0); c2_1 = multiplyAdd(c2_1, x2, b1)
            let x3 = SIMD8<Float>(repeating: pa[3 * aRow])
            c3_0 = multiplyAdd(c3_0, x3, b0); c3_1 = multiplyAdd(c3_1, x3, b1)
            let x4 = SIMD8<Float>(repeating: pa[4 * aRow])
            c4_0 = multiplyAdd(c4_0, x4, b0); c4_1 = multiplyAdd(c4_1, x4, b1)
            let x5 = SIMD8<Float>(repeating: pa[5 * aRow])
            c5_0 = multiplyAdd(c5_0, x5, b0); c5_1 = multiplyAdd(c5_1, x5, b1)
            pa += aStep
            pb += bStep
        }
        if tile.rows == 6 && tile.columns == 16 {
            writeVector(c0_0, tile: tile, r: 0, offset: 0); writeVector(c0_1, tile: tile, r: 0, offset: 8)
            writeVector(c1_0, tile: tile, r: 1, offset: 0); writeVector(c1_1, tile: tile, r: 1, offset: 8)
            writeVector(c2_0, tile: tile, r: 2, offset: 0); writeVector(c2_1, tile: tile, r: 2, offset: 8)
            writeVector(c3_0, tile: tile, r: 3, offset: 0); writeVector(c3_1, tile: tile, r: 3, offset: 8)
            writeVector(c4_0, tile: tile, r: 4, offset: 0); writeVector(c4_1, tile: tile, r: 4, offset: 8)
            writeVector(c5_0, tile: tile, r: 5, offset: 0); writeVector(c5_1, tile: tile, r: 5, offset: 8)
        } else {
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 96) { buffer in
                let p = buffer.baseAddress!
                storeVector(c0_0, p + 0); storeVector(c0_1, p + 8)
                storeVector(c1_0, p + 16); storeVector(c1_1, p + 24)
                storeVector(c2_0, p + 32); storeVector(c2_1, p + 40)
                storeVector(c3_0, p + 48); storeVector(c3_1, p + 56)
                storeVector(c4_0, p + 64); storeVector(c4_1, p + 72)
                storeVector(c5_0, p + 80); storeVector(c5_1, p + 88)
                writeEdge(p, stride: 16, tile: tile)
            }
        }
    }

    /// The same for a last strip of ≤ 8 columns (Bpanel is kc×8).
    @inline(__always)
    static func microKernelHalf(kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                                b: UnsafePointer<Float>, bStep: Int, tile: GemmTile) {
        var c0_0 = SIMD8<Float>()
        var c1_0 = SIMD8<Float>()
        var c2_0 = SIMD8<Float>()
        var c3_0 = SIMD8<Float>()
        var c4_0 = SIMD8<Float>()
        var c5_0 = SIMD8<Float>()
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0: SIMD8<Float> = loadVector(pb)
            let x0 = SIMD8<Float>(repeating: pa[0])
            c0_0 = multiplyAdd(c0_0, x0, b0)
            let x1 = SIMD8<Float>(repeating: pa[1 * aRow])
            c1_0 = multiplyAdd(c1_0, x1, b0)
            let x2 = SIMD8<Float>(repeating: pa[2 * aRow])
            c2_0 = multiplyAdd(c2_0, x2, b0)
            let x3 = SIMD8<Float>(repeating: pa[3 * aRow])
            c3_0 = multiplyAdd(c3_0, x3, b0)
            let x4 = SIMD8<Float>(repeating: pa[4 * aRow])
            c4_0 = multiplyAdd(c4_0, x4, b0)
            let x5 = SIMD8<Float>(repeating: pa[5 * aRow])
            c5_0 = multiplyAdd(c5_0, x5, b0)
            pa += aStep
            pb += bStep
        }
        if tile.rows == 6 && tile.columns == 8 {
            writeVector(c0_0, tile: tile, r: 0, offset: 0)
            writeVector(c1_0, tile: tile, r: 1, offset: 0)
            writeVector(c2_0, tile: tile, r: 2, offset: 0)
            writeVector(c3_0, tile: tile, r: 3, offset: 0)
            writeVector(c4_0, tile: tile, r: 4, offset: 0)
            writeVector(c5_0, tile: tile, r: 5, offset: 0)
        } else {
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 48) { buffer in
                let p = buffer.baseAddress!
                storeVector(c0_0, p + 0)
                storeVector(c1_0, p + 8)
                storeVector(c2_0, p + 16)
                storeVector(c3_0, p + 24)
                storeVector(c4_0, p + 32)
                storeVector(c5_0, p + 40)
                writeEdge(p, stride: 8, tile: tile)
            }
        }
    }
}
#endif
