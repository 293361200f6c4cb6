// Packing: copies a block of op(A) into 6-row strips and a block of op(B) into 16-column strips, k-major and
// zero-padded, so the micro-kernel reads both with unit stride whatever the transposes and strides are.

extension Gemm {
    /// Packs op(A)[rows, ks] (rows.count ≤ MC) into strips of 6 rows: strip s holds, for each p, the 6 values
    /// op(A)[rows.lowerBound + 6s + 0..<6, p]. Missing rows are zero.
    static func packA(_ problem: GemmProblem, rows: Range<Int>, ks: Range<Int>, into dst: UnsafeMutablePointer<Float>) {
        let kc = ks.count
        var out = dst
        var i0 = rows.lowerBound
        while i0 < rows.upperBound {
            let height = min(mr, rows.upperBound - i0)
            if problem.transposeA {
                // op(A)[i, p] = A[p · lda + i]: each k step is a contiguous run of rows.
                var src = problem.a + ks.lowerBound * problem.lda + i0
                if height == mr {
                    for _ in 0..<kc {
                        out[0] = src[0]; out[1] = src[1]; out[2] = src[2]
                        out[3] = src[3]; out[4] = src[4]; out[5] = src[5]
                        out += mr
                        src += problem.lda
                    }
                } else {
                    for _ in 0..<kc {
                        for r in 0..<mr { out[r] = r < height ? src[r] : 0 }
                        out += mr
                        src += problem.lda
                    }
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

    /// Packs op(B)[ks, columns] into strips of 16 columns: strip s holds, for each p, the 16 values
    /// op(B)[p, columns.lowerBound + 16s + 0..<16]. Missing columns are zero.
    static func packB(_ problem: GemmProblem, ks: Range<Int>, columns: Range<Int>, into dst: UnsafeMutablePointer<Float>) {
        let kc = ks.count
        var out = dst
        var j0 = columns.lowerBound
        while j0 < columns.upperBound {
            let width = min(nr, columns.upperBound - j0)
            if !problem.transposeB {
                // op(B)[p, j] = B[p · ldb + j]: each k step is a contiguous run of columns.
                var src = problem.b + ks.lowerBound * problem.ldb + j0
                if width == nr {
                    for _ in 0..<kc {
                        store8(load8(src), out)
                        store8(load8(src + 8), out + 8)
                        out += nr
                        src += problem.ldb
                    }
                } else {
                    for _ in 0..<kc {
                        for j in 0..<nr { out[j] = j < width ? src[j] : 0 }
                        out += nr
                        src += problem.ldb
                    }
                }
            } else {
                // op(B)[p, j] = B[j · ldb + p]: read each of the `width` rows of B along k.
                let src = problem.b + j0 * problem.ldb + ks.lowerBound
                for j in 0..<nr {
                    if j < width {
                        let row = src + j * problem.ldb
                        for p in 0..<kc { out[p * nr + j] = row[p] }
                    } else {
                        for p in 0..<kc { out[p * nr + j] = 0 }
                    }
                }
                out += nr * kc
            }
            j0 += nr
        }
    }
}
