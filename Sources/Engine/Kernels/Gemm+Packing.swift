// Packing: copies a block of op(A) into mr-row strips and a block of op(B) into nr-column strips, k-major and
// zero-padded, so the micro-kernel reads both with unit stride whatever the transposes and strides are.

extension Gemm {
    /// Width of the B strip starting `remaining` columns before the panel's end: nr, or the narrowest of
    /// nr/2, nr/4 (down to `narrowestStrip`) that holds a short last strip (n = 100 then costs 3·32 + 8
    /// columns of work on AVX-512, not 4·32).
    @inline(__always)
    static func stripWidth(remaining: Int) -> Int {
        var width = nr
        while width / 2 >= narrowestStrip && remaining <= width / 2 { width /= 2 }
        return width
    }

    /// Packs op(A)[rows, ks] into strips of mr rows: strip s holds, for each p, the mr values
    /// op(A)[rows.lowerBound + mr·s + 0..<mr, p]. Missing rows are zero.
    static func packA(_ problem: GemmProblem, rows: Range<Int>, ks: Range<Int>, into dst: UnsafeMutablePointer<Float>) {
        let kc = ks.count
        var out = dst
        var i0 = rows.lowerBound
        while i0 < rows.upperBound {
            let height = min(mr, rows.upperBound - i0)
            if problem.transposeA {
                // op(A)[i, p] = A[p · lda + i]: each k step is a contiguous run of rows.
                var src = problem.a + ks.lowerBound * problem.lda + i0
                for _ in 0..<kc {
                    if height == mr {
                        for r in 0..<mr { out[r] = src[r] }
                    } else {
                        for r in 0..<mr { out[r] = r < height ? src[r] : 0 }
                    }
                    out += mr
                    src += problem.lda
                }
            } else {
                // op(A)[i, p] = A[i · lda + p]: interleave `height` row streams.
                let src = problem.a + i0 * problem.lda + ks.lowerBound
                for r in 0..<mr {
                    if r < height {
                        let row = src + r * problem.lda
                        for p in 0..<kc { out[p * mr + r] = row[p] }
                    } else {
                        for p in 0..<kc { out[p * mr + r] = 0 }
                    }
                }
                out += mr * kc
            }
            i0 += mr
        }
    }

    /// Packs op(B)[ks, columns] into strips (see `stripWidth`): a strip of width w holds, for each p, the w
    /// values op(B)[p, j0 ..< j0 + w]. Missing columns are zero. Full nr-wide strips of an untransposed B are
    /// skipped (the macro-kernel reads them in place).
    static func packB(_ problem: GemmProblem, ks: Range<Int>, columns: Range<Int>, into dst: UnsafeMutablePointer<Float>) {
        let kc = ks.count
        var out = dst
        var j0 = columns.lowerBound
        while j0 < columns.upperBound {
            let strip = stripWidth(remaining: columns.upperBound - j0)
            let width = min(strip, columns.upperBound - j0)
            if !problem.transposeB {
                // op(B)[p, j] = B[p · ldb + j]: each k step is a contiguous run of columns. The kernel reads a
                // full nr-wide strip in place (bStep = ldb), which saves the copy; only a short strip is packed.
                if width == nr { j0 += strip; continue }
                var src = problem.b + ks.lowerBound * problem.ldb + j0
                for _ in 0..<kc {
                    if width == strip {
                        var v = 0
                        while v < strip {
                            storeVector(loadVector(src + v, as: SIMD8<Float>.self), out + v)
                            v += 8
                        }
                    } else {
                        for j in 0..<strip { out[j] = j < width ? src[j] : 0 }
                    }
                    out += strip
                    src += problem.ldb
                }
            } else if width == strip && strip % 16 == 0 {
                // op(B)[p, j] = B[j · ldb + p]: transpose 16×16 blocks in registers.
                for group in stride(from: 0, to: strip, by: 16) {
                    packTransposed16(problem.b + (j0 + group) * problem.ldb + ks.lowerBound, ldb: problem.ldb,
                                     kc: kc, into: out + group, stride: strip)
                }
                out += strip * kc
            } else {
                // A short last strip: read each of the `width` rows of B along k.
                let src = problem.b + j0 * problem.ldb + ks.lowerBound
                for j in 0..<strip {
                    if j < width {
                        let row = src + j * problem.ldb
                        for p in 0..<kc { out[p * strip + j] = row[p] }
                    } else {
                        for p in 0..<kc { out[p * strip + j] = 0 }
                    }
                }
                out += strip * kc
            }
            j0 += strip
        }
    }

    /// out[p · stride + t] = src[t · ldb + p] for t < 16, p < kc: sixteen rows of B become sixteen packed
    /// columns, 16×16 at a time by four rounds of interleaving (the perfect-shuffle transpose).
    @inline(__always)
    static func packTransposed16(_ src: UnsafePointer<Float>, ldb: Int, kc: Int,
                                 into out: UnsafeMutablePointer<Float>, stride: Int) {
        var p = 0
        while p + 16 <= kc {
            var r0: SIMD16<Float> = loadVector(src + p), r1: SIMD16<Float> = loadVector(src + ldb + p)
            var r2: SIMD16<Float> = loadVector(src + 2 * ldb + p), r3: SIMD16<Float> = loadVector(src + 3 * ldb + p)
            var r4: SIMD16<Float> = loadVector(src + 4 * ldb + p), r5: SIMD16<Float> = loadVector(src + 5 * ldb + p)
            var r6: SIMD16<Float> = loadVector(src + 6 * ldb + p), r7: SIMD16<Float> = loadVector(src + 7 * ldb + p)
            var r8: SIMD16<Float> = loadVector(src + 8 * ldb + p), r9: SIMD16<Float> = loadVector(src + 9 * ldb + p)
            var r10: SIMD16<Float> = loadVector(src + 10 * ldb + p), r11: SIMD16<Float> = loadVector(src + 11 * ldb + p)
            var r12: SIMD16<Float> = loadVector(src + 12 * ldb + p), r13: SIMD16<Float> = loadVector(src + 13 * ldb + p)
            var r14: SIMD16<Float> = loadVector(src + 14 * ldb + p), r15: SIMD16<Float> = loadVector(src + 15 * ldb + p)
            for _ in 0..<4 {
                (r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15) = (
                    interleaveLow(r0, r8), interleaveHigh(r0, r8), interleaveLow(r1, r9), interleaveHigh(r1, r9),
                    interleaveLow(r2, r10), interleaveHigh(r2, r10), interleaveLow(r3, r11), interleaveHigh(r3, r11),
                    interleaveLow(r4, r12), interleaveHigh(r4, r12), interleaveLow(r5, r13), interleaveHigh(r5, r13),
                    interleaveLow(r6, r14), interleaveHigh(r6, r14), interleaveLow(r7, r15), interleaveHigh(r7, r15))
            }
            let o = out + p * stride
            storeVector(r0, o); storeVector(r1, o + stride); storeVector(r2, o + 2 * stride)
            storeVector(r3, o + 3 * stride); storeVector(r4, o + 4 * stride); storeVector(r5, o + 5 * stride)
            storeVector(r6, o + 6 * stride); storeVector(r7, o + 7 * stride); storeVector(r8, o + 8 * stride)
            storeVector(r9, o + 9 * stride); storeVector(r10, o + 10 * stride); storeVector(r11, o + 11 * stride)
            storeVector(r12, o + 12 * stride); storeVector(r13, o + 13 * stride); storeVector(r14, o + 14 * stride)
            storeVector(r15, o + 15 * stride)
            p += 16
        }
        while p < kc {
            for t in 0..<16 { out[p * stride + t] = src[t * ldb + p] }
            p += 1
        }
    }

    /// (a0, b0, a1, b1, …, a7, b7).
    @inline(__always)
    static func interleaveLow(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        var z = SIMD16<Float>()
        z.evenHalf = a.lowHalf
        z.oddHalf = b.lowHalf
        return z
    }

    /// (a8, b8, a9, b9, …, a15, b15).
    @inline(__always)
    static func interleaveHigh(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        var z = SIMD16<Float>()
        z.evenHalf = a.highHalf
        z.oddHalf = b.highHalf
        return z
    }
}
