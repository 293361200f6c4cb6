// The micro-kernels of AVX-512 builds: a 12×32 tile of C in twenty-four SIMD16<Float> accumulators (of the
// 32 zmm registers), and 12×16 / 12×8 ones for a last strip of at most 16 / 8 columns (the 4-row kernels for a
// block's last rows are in Gemm+MicroKernel512Short.swift). Rows are unrolled by hand so
// that every accumulator stays in a register; edit both kernels alike.
#if MNISTD_AVX512

extension Gemm {
    /// Rows of a micro-tile (broadcast from packed A).
    static let mr = 12
    /// Columns of a full micro-tile (vector loads from packed B); a last strip of ≤ 16 or ≤ 8 columns is
    /// half or a quarter as wide.
    static let nr = 32
    /// The narrowest strip.
    static let narrowestStrip = 8
    /// Rows of the short kernels that finish a row block's last, packed rows (a 128-row batch is 10 × 12 + 8).
    static let shortRows = 4

    /// One micro-tile: the kernel for the strip's width, and for ≤ `shortRows` rows of packed A when `short`.
    @inline(__always)
    static func runTile(strip: Int, short: Bool, kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                        b: UnsafePointer<Float>, bStep: Int, tile: GemmTile) {
        if short {
            switch strip {
            case nr: microKernelShort(kc: kc, a: a, aStep: aStep, b: b, bStep: bStep, tile: tile)
            case 16: microKernelShortHalf(kc: kc, a: a, aStep: aStep, b: b, bStep: bStep, tile: tile)
            default: microKernelShortQuarter(kc: kc, a: a, aStep: aStep, b: b, bStep: bStep, tile: tile)
            }
        } else {
            switch strip {
            case nr: microKernel(kc: kc, a: a, aRow: aRow, aStep: aStep, b: b, bStep: bStep, tile: tile)
            case 16: microKernelHalf(kc: kc, a: a, aRow: aRow, aStep: aStep, b: b, bStep: bStep, tile: tile)
            default: microKernelQuarter(kc: kc, a: a, aRow: aRow, aStep: aStep, b: b, bStep: bStep, tile: tile)
            }
        }
    }

    /// A(r, p) is `a[r · aRow + p · aStep]`: a packed strip (1, mr), or A itself read in place. Row p of the
    /// B panel starts at `b + p · bStep`: a packed strip (bStep = its width), or B itself (bStep = ldb).
    /// `tile = alpha · Apanel(12×kc) · Bpanel(kc×32) + beta · tile`, then the epilogue.
    @inline(__always)
    static func microKernel(kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                                b: UnsafePointer<Float>, bStep: Int, tile: GemmTile) {
        var c0_0 = SIMD16<Float>(); var c0_1 = SIMD16<Float>()
        var c1_0 = SIMD16<Float>(); var c1_1 = SIMD16<Float>()
        var c2_0 = SIMD16<Float>(); var c2_1 = SIMD16<Float>()
        var c3_0 = SIMD16<Float>(); var c3_1 = SIMD16<Float>()
        var c4_0 = SIMD16<Float>(); var c4_1 = SIMD16<Float>()
        var c5_0 = SIMD16<Float>(); var c5_1 = SIMD16<Float>()
        var c6_0 = SIMD16<Float>(); var c6_1 = SIMD16<Float>()
        var c7_0 = SIMD16<Float>(); var c7_1 = SIMD16<Float>()
        var c8_0 = SIMD16<Float>(); var c8_1 = SIMD16<Float>()
        var c9_0 = SIMD16<Float>(); var c9_1 = SIMD16<Float>()
        var c10_0 = SIMD16<Float>(); var c10_1 = SIMD16<Float>()
        var c11_0 = SIMD16<Float>(); var c11_1 = SIMD16<Float>()
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0: SIMD16<Float> = loadVector(pb)
            let b1: SIMD16<Float> = loadVector(pb + 16)
            let x0 = SIMD16<Float>(repeating: pa[0])
            c0_0 = multiplyAdd(c0_0, x0, b0); c0_1 = multiplyAdd(c0_1, x0, b1)
            let x1 = SIMD16<Float>(repeating: pa[1 * aRow])
            c1_0 = multiplyAdd(c1_0, x1, b0); c1_1 = multiplyAdd(c1_1, x1, b1)
            let x2 = SIMD16<Float>(repeating: pa[2 * aRow])
            c2_0 = multiplyAdd(c2_0, x2, b0); c2_1 = multiplyAdd(c2_1, x2, b1)
            let x3 = SIMD16<Float>(repeating: pa[3 * aRow])
            c3_0 = multiplyAdd(c3_0, x3, b0); c3_1 = multiplyAdd(c3_1, x3, b1)
            let x4 = SIMD16<Float>(repeating: pa[4 * aRow])
            c4_0 = multiplyAdd(c4_0, x4, b0); c4_1 = multiplyAdd(c4_1, x4, b1)
            let x5 = SIMD16<Float>(repeating: pa[5 * aRow])
            c5_0 = multiplyAdd(c5_0, x5, b0); c5_1 = multiplyAdd(c5_1, x5, b1)
            let x6 = SIMD16<Float>(repeating: pa[6 * aRow])
            c6_0 = multiplyAdd(c6_0, x6, b0); c6_1 = multiplyAdd(c6_1, x6, b1)
            let x7 = SIMD16<Float>(repeating: pa[7 * aRow])
            c7_0 = multiplyAdd(c7_0, x7, b0); c7_1 = multiplyAdd(c7_1, x7, b1)
            let x8 = SIMD16<Float>(repeating: pa[8 * aRow])
            c8_0 = multiplyAdd(c8_0, x8, b0); c8_1 = multiplyAdd(c8_1, x8, b1)
            let x9 = SIMD16<Float>(repeating: pa[9 * aRow])
            c9_0 = multiplyAdd(c9_0, x9, b0); c9_1 = multiplyAdd(c9_1, x9, b1)
            let x10 = SIMD16<Float>(repeating: pa[10 * aRow])
            c10_0 = multiplyAdd(c10_0, x10, b0); c10_1 = multiplyAdd(c10_1, x10, b1)
            let x11 = SIMD16<Float>(repeating: pa[11 * aRow])
            c11_0 = multiplyAdd(c11_0, x11, b0); c11_1 = multiplyAdd(c11_1, x11, b1)
            pa += aStep
            pb += bStep
        }
        if tile.rows == 12 && tile.columns == 32 {
            writeVector(c0_0, tile: tile, r: 0, offset: 0); writeVector(c0_1, tile: tile, r: 0, offset: 16)
            writeVector(c1_0, tile: tile, r: 1, offset: 0); writeVector(c1_1, tile: tile, r: 1, offset: 16)
            writeVector(c2_0, tile: tile, r: 2, offset: 0); writeVector(c2_1, tile: tile, r: 2, offset: 16)
            writeVector(c3_0, tile: tile, r: 3, offset: 0); writeVector(c3_1, tile: tile, r: 3, offset: 16)
            writeVector(c4_0, tile: tile, r: 4, offset: 0); writeVector(c4_1, tile: tile, r: 4, offset: 16)
            writeVector(c5_0, tile: tile, r: 5, offset: 0); writeVector(c5_1, tile: tile, r: 5, offset: 16)
            writeVector(c6_0, tile: tile, r: 6, offset: 0); writeVector(c6_1, tile: tile, r: 6, offset: 16)
            writeVector(c7_0, tile: tile, r: 7, offset: 0); writeVector(c7_1, tile: tile, r: 7, offset: 16)
            writeVector(c8_0, tile: tile, r: 8, offset: 0); writeVector(c8_1, tile: tile, r: 8, offset: 16)
            writeVector(c9_0, tile: tile, r: 9, offset: 0); writeVector(c9_1, tile: tile, r: 9, offset: 16)
            writeVector(c10_0, tile: tile, r: 10, offset: 0); writeVector(c10_1, tile: tile, r: 10, offset: 16)
            writeVector(c11_0, tile: tile, r: 11, offset: 0); writeVector(c11_1, tile: tile, r: 11, offset: 16)
        } else {
            writeRow(c0_0, c0_1, tile: tile, r: 0)
            writeRow(c1_0, c1_1, tile: tile, r: 1)
            writeRow(c2_0, c2_1, tile: tile, r: 2)
            writeRow(c3_0, c3_1, tile: tile, r: 3)
            writeRow(c4_0, c4_1, tile: tile, r: 4)
            writeRow(c5_0, c5_1, tile: tile, r: 5)
            writeRow(c6_0, c6_1, tile: tile, r: 6)
            writeRow(c7_0, c7_1, tile: tile, r: 7)
            writeRow(c8_0, c8_1, tile: tile, r: 8)
            writeRow(c9_0, c9_1, tile: tile, r: 9)
            writeRow(c10_0, c10_1, tile: tile, r: 10)
            writeRow(c11_0, c11_1, tile: tile, r: 11)
        }
    }

    /// The same for a last strip of ≤ 16 columns (Bpanel is kc×16).
    @inline(__always)
    static func microKernelHalf(kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                                b: UnsafePointer<Float>, bStep: Int, tile: GemmTile) {
        var c0 = SIMD16<Float>(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0
        var c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0: SIMD16<Float> = loadVector(pb)
            c0 = multiplyAdd(c0, SIMD16<Float>(repeating: pa[0]), b0)
            c1 = multiplyAdd(c1, SIMD16<Float>(repeating: pa[1 * aRow]), b0)
            c2 = multiplyAdd(c2, SIMD16<Float>(repeating: pa[2 * aRow]), b0)
            c3 = multiplyAdd(c3, SIMD16<Float>(repeating: pa[3 * aRow]), b0)
            c4 = multiplyAdd(c4, SIMD16<Float>(repeating: pa[4 * aRow]), b0)
            c5 = multiplyAdd(c5, SIMD16<Float>(repeating: pa[5 * aRow]), b0)
            c6 = multiplyAdd(c6, SIMD16<Float>(repeating: pa[6 * aRow]), b0)
            c7 = multiplyAdd(c7, SIMD16<Float>(repeating: pa[7 * aRow]), b0)
            c8 = multiplyAdd(c8, SIMD16<Float>(repeating: pa[8 * aRow]), b0)
            c9 = multiplyAdd(c9, SIMD16<Float>(repeating: pa[9 * aRow]), b0)
            c10 = multiplyAdd(c10, SIMD16<Float>(repeating: pa[10 * aRow]), b0)
            c11 = multiplyAdd(c11, SIMD16<Float>(repeating: pa[11 * aRow]), b0)
            pa += aStep
            pb += bStep
        }
        if tile.rows == 12 && tile.columns == 16 {
            writeVector(c0, tile: tile, r: 0, offset: 0); writeVector(c1, tile: tile, r: 1, offset: 0)
            writeVector(c2, tile: tile, r: 2, offset: 0); writeVector(c3, tile: tile, r: 3, offset: 0)
            writeVector(c4, tile: tile, r: 4, offset: 0); writeVector(c5, tile: tile, r: 5, offset: 0)
            writeVector(c6, tile: tile, r: 6, offset: 0); writeVector(c7, tile: tile, r: 7, offset: 0)
            writeVector(c8, tile: tile, r: 8, offset: 0); writeVector(c9, tile: tile, r: 9, offset: 0)
            writeVector(c10, tile: tile, r: 10, offset: 0); writeVector(c11, tile: tile, r: 11, offset: 0)
        } else {
            writeRow(c0, tile: tile, r: 0); writeRow(c1, tile: tile, r: 1); writeRow(c2, tile: tile, r: 2)
            writeRow(c3, tile: tile, r: 3); writeRow(c4, tile: tile, r: 4); writeRow(c5, tile: tile, r: 5)
            writeRow(c6, tile: tile, r: 6); writeRow(c7, tile: tile, r: 7); writeRow(c8, tile: tile, r: 8)
            writeRow(c9, tile: tile, r: 9); writeRow(c10, tile: tile, r: 10); writeRow(c11, tile: tile, r: 11)
        }
    }

    /// The same for a last strip of ≤ 8 columns: 256-bit operations, half the cost of 512-bit ones on cores
    /// that split those in two (Zen 4). Concrete, not generic: a generic kernel left its SIMD8 loads as calls
    /// (tried twice, the second time with a load written per vector type: the write-back's loads stayed calls).
    @inline(__always)
    static func microKernelQuarter(kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                                   b: UnsafePointer<Float>, bStep: Int, tile: GemmTile) {
        var c0 = SIMD8<Float>(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0
        var c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0: SIMD8<Float> = loadVector(pb)
            c0 = multiplyAdd(c0, SIMD8<Float>(repeating: pa[0]), b0)
            c1 = multiplyAdd(c1, SIMD8<Float>(repeating: pa[1 * aRow]), b0)
            c2 = multiplyAdd(c2, SIMD8<Float>(repeating: pa[2 * aRow]), b0)
            c3 = multiplyAdd(c3, SIMD8<Float>(repeating: pa[3 * aRow]), b0)
            c4 = multiplyAdd(c4, SIMD8<Float>(repeating: pa[4 * aRow]), b0)
            c5 = multiplyAdd(c5, SIMD8<Float>(repeating: pa[5 * aRow]), b0)
            c6 = multiplyAdd(c6, SIMD8<Float>(repeating: pa[6 * aRow]), b0)
            c7 = multiplyAdd(c7, SIMD8<Float>(repeating: pa[7 * aRow]), b0)
            c8 = multiplyAdd(c8, SIMD8<Float>(repeating: pa[8 * aRow]), b0)
            c9 = multiplyAdd(c9, SIMD8<Float>(repeating: pa[9 * aRow]), b0)
            c10 = multiplyAdd(c10, SIMD8<Float>(repeating: pa[10 * aRow]), b0)
            c11 = multiplyAdd(c11, SIMD8<Float>(repeating: pa[11 * aRow]), b0)
            pa += aStep
            pb += bStep
        }
        if tile.rows == 12 && tile.columns == 8 {
            writeVector(c0, tile: tile, r: 0, offset: 0); writeVector(c1, tile: tile, r: 1, offset: 0)
            writeVector(c2, tile: tile, r: 2, offset: 0); writeVector(c3, tile: tile, r: 3, offset: 0)
            writeVector(c4, tile: tile, r: 4, offset: 0); writeVector(c5, tile: tile, r: 5, offset: 0)
            writeVector(c6, tile: tile, r: 6, offset: 0); writeVector(c7, tile: tile, r: 7, offset: 0)
            writeVector(c8, tile: tile, r: 8, offset: 0); writeVector(c9, tile: tile, r: 9, offset: 0)
            writeVector(c10, tile: tile, r: 10, offset: 0); writeVector(c11, tile: tile, r: 11, offset: 0)
        } else {
            writeRow(c0, tile: tile, r: 0); writeRow(c1, tile: tile, r: 1); writeRow(c2, tile: tile, r: 2)
            writeRow(c3, tile: tile, r: 3); writeRow(c4, tile: tile, r: 4); writeRow(c5, tile: tile, r: 5)
            writeRow(c6, tile: tile, r: 6); writeRow(c7, tile: tile, r: 7); writeRow(c8, tile: tile, r: 8)
            writeRow(c9, tile: tile, r: 9); writeRow(c10, tile: tile, r: 10); writeRow(c11, tile: tile, r: 11)
        }
    }

    /// Row `r` of a partial tile (32 wide): whole vectors where the tile has all their columns, else by element.
    @inline(__always)
    static func writeRow(_ lo: SIMD16<Float>, _ hi: SIMD16<Float>, tile: GemmTile, r: Int) {
        guard r < tile.rows else { return }
        if tile.columns >= 16 {
            writeVector(lo, tile: tile, r: r, offset: 0)
            if tile.columns == 32 { writeVector(hi, tile: tile, r: r, offset: 16) }
            else { writePartial(hi, tile: tile, r: r, offset: 16, count: tile.columns - 16) }
        } else {
            writePartial(lo, tile: tile, r: r, offset: 0, count: tile.columns)
        }
    }

    /// Row `r` of a partial tile 8 wide: a tile of 4 columns (n = 100 ends in one) stores its half vector whole.
    @inline(__always)
    static func writeRow(_ v: SIMD8<Float>, tile: GemmTile, r: Int) {
        guard r < tile.rows else { return }
        if tile.columns == 8 { writeVector(v, tile: tile, r: r, offset: 0) }
        else if tile.columns == 4 { writeVector(v.lowHalf, tile: tile, r: r, offset: 0) }
        else { writePartial(v, tile: tile, r: r, offset: 0, count: tile.columns) }
    }

    /// Row `r` of a partial tile one vector wide.
    @inline(__always)
    static func writeRow<V: SIMD>(_ v: V, tile: GemmTile, r: Int) where V.Scalar == Float {
        guard r < tile.rows else { return }
        if tile.columns == V.scalarCount { writeVector(v, tile: tile, r: r, offset: 0) }
        else { writePartial(v, tile: tile, r: r, offset: 0, count: tile.columns) }
    }
}
#endif
