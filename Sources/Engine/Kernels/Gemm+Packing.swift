// Packing: copies a block of op(A) into mr-row strips and a block of op(B) into nr-column strips, k-major and
// zero-padded, so the micro-kernel reads both with unit stride whatever the transposes and strides are.

extension Gemm {
    /// Width of the B strip starting `remaining` columns before the panel's end: nr, or nr/2 for a short last
    /// strip (n = 100 then costs 3·32 + 16 columns of work on AVX-512, not 4·32).
    @inline(__always)
    static func stripWidth(remaining: Int) -> Int {
        remaining <= nr / 2 ? nr / 2 : nr
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
    /// values op(B)[p, j0 ..< j0 + w]. Missing columns are zero.
    static func packB(_ problem: GemmProblem, ks: Range<Int>, columns: Range<Int>, into dst: UnsafeMutablePointer<Float>) {
        let kc = ks.count
        var out = dst
        var j0 = columns.lowerBound
        while j0 < columns.upperBound {
            let strip = stripWidth(remaining: columns.upperBound - j0)
            let width = min(strip, columns.upperBound - j0)
            if !problem.transposeB {
                // op(B)[p, j] = B[p · ldb + j]: each k step is a contiguous run of columns.
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
            } else {
                // op(B)[p, j] = B[j · ldb + p]: read each of the `width` rows of B along k.
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
}
