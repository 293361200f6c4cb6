// The cache-blocked loops around the micro-kernel (BLIS order): column panels of NC, k blocks of KC (op(B)
// panel packed once per block), row blocks of MC (op(A) packed), then nr-column × mr-row micro-tiles.

/// One sgemm call's operands, as `Gemm.multiply` received them.
struct GemmProblem {
    var transposeA: Bool
    var transposeB: Bool
    var m: Int
    var n: Int
    var k: Int
    var alpha: Float
    var a: UnsafePointer<Float>
    var lda: Int
    var b: UnsafePointer<Float>
    var ldb: Int
    var beta: Float
    var c: UnsafeMutablePointer<Float>
    var ldc: Int
    var epilogue: Gemm.Epilogue?
}

extension Gemm {
    /// Largest k block: an nr×KC strip of B and an mr×KC strip of A stay in a 48 KiB L1 (AVX-512: 32×256
    /// and 12×256 floats, 44 KiB; otherwise 16×384 and 6×384, 33 KiB).
    #if MNISTD_AVX512
    static let kcMax = 256
    #else
    static let kcMax = 384
    #endif
    /// Rows per packed A block: MC×KC floats (up to 288 KiB) stay in L2 while the B strips stream past.
    static let mcMax = 192
    /// Columns per packed B panel.
    static let ncMax = 1024

    /// The k blocks: as few as `kcMax` allows, of equal size (784 → 3 × 262 rather than 384 + 384 + 16).
    static func kBlocking(_ k: Int) -> (count: Int, size: Int) {
        let count = max(1, (k + kcMax - 1) / kcMax)
        return (count, (k + count - 1) / count)
    }

    /// Computes the block `rows × columns` of C on the calling thread.
    static func multiplyBlocked(_ problem: GemmProblem, rows: Range<Int>, columns: Range<Int>, buffers: GemmBuffers) {
        let (kCount, kcBlock) = kBlocking(problem.k)
        let mcBlock = min(mcMax, rows.count)
        let ncBlock = min(ncMax, columns.count)
        buffers.reserve(a: roundUp(mcBlock, mr) * kcBlock, b: roundUp(ncBlock, nr) * kcBlock)
        var jc = columns.lowerBound
        while jc < columns.upperBound {
            let panel = jc..<min(jc + ncBlock, columns.upperBound)
            for kb in 0..<kCount {
                let ks = min(problem.k, kb * kcBlock)..<min(problem.k, (kb + 1) * kcBlock)
                packB(problem, ks: ks, columns: panel, into: buffers.b)
                var ic = rows.lowerBound
                while ic < rows.upperBound {
                    let block = ic..<min(ic + mcBlock, rows.upperBound)
                    packA(problem, rows: block, ks: ks, into: buffers.a)
                    macroKernel(problem, rows: block, columns: panel, ks: ks,
                                first: kb == 0, last: kb == kCount - 1, buffers: buffers)
                    ic = block.upperBound
                }
            }
            jc = panel.upperBound
        }
    }

    /// All micro-tiles of one packed A block against one packed B panel.
    @inline(__always)
    static func macroKernel(_ problem: GemmProblem, rows: Range<Int>, columns: Range<Int>, ks: Range<Int>,
                            first: Bool, last: Bool, buffers: GemmBuffers) {
        let kc = ks.count
        var tile = GemmTile(c: problem.c, ldc: problem.ldc, row: 0, column: 0, rows: 0, columns: 0,
                            alpha: problem.alpha, beta: first ? problem.beta : 1,
                            epilogue: last ? problem.epilogue : nil)
        var pb = UnsafePointer(buffers.b)
        var j = columns.lowerBound
        while j < columns.upperBound {
            let strip = stripWidth(remaining: columns.upperBound - j)
            tile.column = j
            tile.columns = min(strip, columns.upperBound - j)
            var pa = UnsafePointer(buffers.a)
            var i = rows.lowerBound
            while i < rows.upperBound {
                tile.row = i
                tile.rows = min(mr, rows.upperBound - i)
                tile.c = problem.c + i * problem.ldc + j
                if strip == nr {
                    microKernel(kc: kc, a: pa, b: pb, tile: tile)
                } else {
                    microKernelHalf(kc: kc, a: pa, b: pb, tile: tile)
                }
                pa += mr * kc
                i += mr
            }
            pb += strip * kc
            j += strip
        }
    }

    @inline(__always)
    static func roundUp(_ value: Int, _ multiple: Int) -> Int {
        (value + multiple - 1) / multiple * multiple
    }
}
