// The register-blocked inner kernel: a 6×16 tile of C held in twelve SIMD8<Float> accumulators, fed by packed
// panels of A (6 floats per k step) and B (16 floats per k step), then written back through the epilogue.

/// `acc + x · y`, one fused multiply-add per lane where the target has FMA (haswell builds, arm64); the
/// portable x86_64 build has none, and `addingProduct` would then call `fmaf` lane by lane.
@inline(__always)
func multiplyAdd(_ acc: SIMD8<Float>, _ x: SIMD8<Float>, _ y: SIMD8<Float>) -> SIMD8<Float> {
    #if MNISTD_FMA || arch(arm64)
    return acc.addingProduct(x, y)
    #else
    return acc + x * y
    #endif
}

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// Where one micro-tile's results go: C's tile origin, its valid extent, and what to fold in on write-back.
struct GemmTile {
    var c: UnsafeMutablePointer<Float>
    var ldc: Int
    /// Row and column of the tile in C (for the bias and gate of the epilogue).
    var row: Int
    var column: Int
    /// Valid rows (≤ 6) and columns (≤ 16); the rest of the tile is padding.
    var rows: Int
    var columns: Int
    var alpha: Float
    var beta: Float
    /// The epilogue runs only on the last k block.
    var epilogue: Gemm.Epilogue?
}

extension Gemm {
    static let mr = 6
    static let nr = 16

    /// `tile = alpha · Apanel(6×kc) · Bpanel(kc×16) + beta · tile`, then the epilogue.
    @inline(__always)
    static func microKernel(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, tile: GemmTile) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>(), c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        var pa = a, pb = b
        for _ in 0..<kc {
            let b0 = load8(pb), b1 = load8(pb + 8)
            var x = SIMD8<Float>(repeating: pa[0])
            c00 = multiplyAdd(c00, x, b0); c01 = multiplyAdd(c01, x, b1)
            x = SIMD8<Float>(repeating: pa[1])
            c10 = multiplyAdd(c10, x, b0); c11 = multiplyAdd(c11, x, b1)
            x = SIMD8<Float>(repeating: pa[2])
            c20 = multiplyAdd(c20, x, b0); c21 = multiplyAdd(c21, x, b1)
            x = SIMD8<Float>(repeating: pa[3])
            c30 = multiplyAdd(c30, x, b0); c31 = multiplyAdd(c31, x, b1)
            x = SIMD8<Float>(repeating: pa[4])
            c40 = multiplyAdd(c40, x, b0); c41 = multiplyAdd(c41, x, b1)
            x = SIMD8<Float>(repeating: pa[5])
            c50 = multiplyAdd(c50, x, b0); c51 = multiplyAdd(c51, x, b1)
            pa += 6
            pb += 16
        }
        if tile.rows == 6 && tile.columns == 16 {
            writeRow(c00, c01, tile: tile, r: 0)
            writeRow(c10, c11, tile: tile, r: 1)
            writeRow(c20, c21, tile: tile, r: 2)
            writeRow(c30, c31, tile: tile, r: 3)
            writeRow(c40, c41, tile: tile, r: 4)
            writeRow(c50, c51, tile: tile, r: 5)
        } else {
            writeEdge((c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51), tile: tile)
        }
    }

    /// Writes 16 results of row `r` of a full tile with SIMD.
    @inline(__always)
    static func writeRow(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, tile: GemmTile, r: Int) {
        let p = tile.c + r * tile.ldc
        store8(finish(v0, old: p, tile: tile, row: tile.row + r, column: tile.column), p)
        store8(finish(v1, old: p + 8, tile: tile, row: tile.row + r, column: tile.column + 8), p + 8)
    }

    @inline(__always)
    static func finish(_ acc: SIMD8<Float>, old p: UnsafeMutablePointer<Float>, tile: GemmTile,
                       row: Int, column: Int) -> SIMD8<Float> {
        var v = acc * tile.alpha
        if tile.beta != 0 { v = multiplyAdd(v, load8(p), SIMD8(repeating: tile.beta)) }
        guard let epilogue = tile.epilogue else { return v }
        if let bias = epilogue.bias { v += load8(bias + column) }
        v = activate(v, epilogue.activation)
        if let gate = epilogue.gate {
            let z = load8(gate + row * epilogue.ldGate + column)
            switch epilogue.gateActivation {
            case .identity: break
            case .relu: v.replace(with: 0, where: z .<= 0)
            case .leakyRelu(let slope): v.replace(with: v * slope, where: z .<= 0)
            }
        }
        return v
    }

    @inline(__always)
    static func activate(_ v: SIMD8<Float>, _ activation: Activation) -> SIMD8<Float> {
        switch activation {
        case .identity: return v
        case .relu: return v.replacing(with: 0, where: v .<= 0)
        case .leakyRelu(let slope): return v.replacing(with: v * slope, where: v .<= 0)
        }
    }

    /// A partial tile at the right or bottom edge: spill the accumulators and finish element by element.
    @inline(never)
    static func writeEdge(_ acc: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
                                  SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>),
                          tile: GemmTile) {
        withUnsafeBytes(of: acc) { raw in
            let values = raw.baseAddress!.assumingMemoryBound(to: Float.self)
            for r in 0..<tile.rows {
                let p = tile.c + r * tile.ldc
                for j in 0..<tile.columns {
                    var v = tile.alpha * values[r * 16 + j]
                    if tile.beta != 0 { v += tile.beta * p[j] }
                    if let epilogue = tile.epilogue {
                        v = epilogue.apply(v, row: tile.row + r, column: tile.column + j)
                    }
                    p[j] = v
                }
            }
        }
    }
}
