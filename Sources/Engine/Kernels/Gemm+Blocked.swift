// The cache-blocked loops around the micro-kernel (BLIS order): column panels of NC, k blocks of KC (op(B)
// panel packed once per block), row blocks of MC (op(A) read in place), then nr-column × mr-row micro-tiles.

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
    /// Rows per block: the MC×KC floats of op(A) it reads (up to 192 KiB) stay in L2 while B strips stream past.
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
        buffers.reserve(a: mr * kcBlock, b: roundUp(ncBlock, nr) * kcBlock)
        var jc = columns.lowerBound
        while jc < columns.upperBound {
            let panel = jc..<min(jc + ncBlock, columns.upperBound)
            for kb in 0..<kCount {
                let ks = min(problem.k, kb * kcBlock)..<min(problem.k, (kb + 1) * kcBlock)
                packB(problem, ks: ks, columns: panel, into: buffers.b)
                var ic = rows.lowerBound
                while ic < rows.upperBound {
                    let block = ic..<min(ic + mcBlock, rows.upperBound)
                    macroKernel(problem, rows: block, columns: panel, ks: ks,
                                first: kb == 0, last: kb == kCount - 1, buffers: buffers)
                    ic = block.upperBound
                }
            }
            jc = panel.upperBound
        }
    }

    /// All micro-tiles of one row block against one packed B panel. Full mr-row strips read op(A) in place
    /// (its rows or columns are the broadcast stream, so A is never copied); only a last, shorter strip is
    /// packed, zero-padded, so that no read runs past A.
    @inline(__always)
    static func macroKernel(_ problem: GemmProblem, rows: Range<Int>, columns: Range<Int>, ks: Range<Int>,
                            first: Bool, last: Bool, buffers: GemmBuffers) {
        let kc = ks.count
        let fullRows = rows.lowerBound + (rows.count / mr) * mr
        if fullRows < rows.upperBound {
            packA(problem, rows: fullRows..<rows.upperBound, ks: ks, into: buffers.a)
        }
        var tile = GemmTile(c: problem.c, ldc: problem.ldc, row: 0, column: 0, rows: 0, columns: 0,
                            alpha: problem.alpha, beta: first ? problem.beta : 1,
                            epilogue: last ? problem.epilogue : nil)
        let lda = problem.lda
        var packed = UnsafePointer(buffers.b)
        var j = columns.lowerBound
        while j < columns.upperBound {
            let strip = stripWidth(remaining: columns.upperBound - j)
            tile.column = j
            tile.columns = min(strip, columns.upperBound - j)
            let full = strip == nr
            // Full strips of an untransposed B are read in place (see packB); the rest come packed.
            let inPlace = full && tile.columns == nr && !problem.transposeB
            let pb = inPlace ? problem.b + ks.lowerBound * problem.ldb + j : packed
            let bStep = inPlace ? problem.ldb : strip
            var i = rows.lowerBound
            while i < rows.upperBound {
                tile.row = i
                tile.rows = min(mr, rows.upperBound - i)
                tile.c = problem.c + i * problem.ldc + j
                if i >= fullRows {
                    let a = UnsafePointer(buffers.a)
                    if tile.rows > mr - shortRows {
                        runTile(strip: strip, short: false, kc: kc, a: a, aRow: 1, aStep: mr,
                                b: pb, bStep: bStep, tile: tile)
                    } else {
                        // A few last rows: short kernels, shortRows at a time, skip most of the padding.
                        var part = tile
                        for q in stride(from: 0, to: tile.rows, by: shortRows) {
                            part.row = i + q
                            part.rows = min(shortRows, tile.rows - q)
                            part.c = tile.c + q * problem.ldc
                            runTile(strip: strip, short: true, kc: kc, a: a + q, aRow: 1, aStep: mr,
                                    b: pb, bStep: bStep, tile: part)
                        }
                    }
                } else if problem.transposeA {
                    let a = problem.a + ks.lowerBound * lda + i
                    runTile(strip: strip, short: false, kc: kc, a: a, aRow: 1, aStep: lda,
                            b: pb, bStep: bStep, tile: tile)
                } else {
                    let a = problem.a + i * lda + ks.lowerBound
                    runTile(strip: strip, short: false, kc: kc, a: a, aRow: lda, aStep: 1,
                            b: pb, bStep: bStep, tile: tile)
                }
                i += mr
            }
            if !inPlace { packed += strip * kc }
            j += strip
        }
    }

    @inline(__always)
    static func roundUp(_ value: Int, _ multiple: Int) -> Int {
        (value + multiple - 1) / multiple * multiple
    }
}
