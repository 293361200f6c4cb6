// What every micro-kernel shares: fused multiply-add, unaligned vector loads and stores, the tile a kernel
// writes, and the write-back that folds in alpha, beta and the epilogue (SIMD for full rows, scalar at edges).

/// `acc + x · y`, one fused multiply-add per lane where the target has FMA (haswell and later, arm64); the
/// portable x86_64 build has none, and `addingProduct` would then call `fmaf` lane by lane.
@inline(__always)
func multiplyAdd<V: SIMD>(_ acc: V, _ x: V, _ y: V) -> V where V.Scalar == Float {
    #if MNISTD_FMA || arch(arm64)
    return acc.addingProduct(x, y)
    #else
    return acc + x * y
    #endif
}

@inline(__always)
func loadVector<V: SIMD>(_ p: UnsafePointer<Float>, as type: V.Type = V.self) -> V where V.Scalar == Float {
    UnsafeRawPointer(p).loadUnaligned(as: V.self)
}

@inline(__always)
func storeVector<V: SIMD>(_ v: V, _ p: UnsafeMutablePointer<Float>) where V.Scalar == Float {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
}

/// All-ones lanes where `x ≤ 0` (±0 and negatives; a NaN counts by its sign bit), zero lanes elsewhere.
/// Integer arithmetic on the bits, because `x .<= 0` on SIMD16<Float> compiles to a per-lane scalar loop.
@inline(__always)
func nonPositiveLanes<V: SIMD>(_ x: V) -> V.MaskStorage where V.Scalar == Float {
    let bits = unsafeBitCast(x, to: V.MaskStorage.self)
    // The sign bit of bits | (bits − 1) is set for negatives (sign bit) and for +0 (0 − 1 = −1).
    return (bits | (bits &- 1)) &>> 31
}

/// `mask ? yes : no` lane by lane, for a mask of all-ones or zero lanes.
@inline(__always)
func select<V: SIMD>(_ mask: V.MaskStorage, _ yes: V, _ no: V) -> V where V.Scalar == Float {
    let y = unsafeBitCast(yes, to: V.MaskStorage.self), n = unsafeBitCast(no, to: V.MaskStorage.self)
    return unsafeBitCast((y & mask) | (n & ~mask), to: V.self)
}

/// Where one micro-tile's results go: C's tile origin, its valid extent, and what to fold in on write-back.
struct GemmTile {
    var c: UnsafeMutablePointer<Float>
    var ldc: Int
    /// Row and column of the tile in C (for the bias and gate of the epilogue).
    var row: Int
    var column: Int
    /// Valid rows (≤ mr) and columns (≤ the strip's width); the rest of the tile is padding.
    var rows: Int
    var columns: Int
    var alpha: Float
    var beta: Float
    /// The epilogue runs only on the last k block.
    var epilogue: Gemm.Epilogue?
}

extension Gemm {
    /// Writes one row-vector of results: `v` holds C[row, column ..< column + V.scalarCount].
    @_transparent
    static func writeVector<V: SIMD>(_ acc: V, tile: GemmTile, r: Int, offset: Int) where V.Scalar == Float {
        let p = tile.c + r * tile.ldc + offset
        let row = tile.row + r, column = tile.column + offset
        var v = acc * tile.alpha
        if tile.beta != 0 { v = multiplyAdd(v, loadVector(p), V(repeating: tile.beta)) }
        if let epilogue = tile.epilogue {
            v = finish(v, epilogue, bias: epilogue.bias.map { loadVector($0 + column) },
                       gate: epilogue.gate.map { loadVector($0 + row * epilogue.ldGate + column) })
        }
        storeVector(v, p)
    }

    /// The epilogue on a vector of results, given the matching lanes of the bias and the gate (when it has them).
    @inline(__always)
    static func finish<V: SIMD>(_ value: V, _ epilogue: Epilogue, bias: V?, gate: V?) -> V where V.Scalar == Float {
        var v = value
        if let bias { v += bias }
        switch epilogue.activation {
        case .identity: break
        case .relu: v = select(nonPositiveLanes(v), V(), v)
        case .leakyRelu(let slope): v = select(nonPositiveLanes(v), v * slope, v)
        }
        if let z = gate {
            switch epilogue.gateActivation {
            case .identity: break
            case .relu: v = select(nonPositiveLanes(z), V(), v)
            case .leakyRelu(let slope): v = select(nonPositiveLanes(z), v * slope, v)
            }
        }
        return v
    }

    /// The first `count` lanes of `v` as C[row r, offset ..< offset + count] of the tile (a strip's last columns).
    /// C, the bias and the gate end there, so their lanes are gathered one by one, but the epilogue runs on
    /// whole vectors as for full rows.
    @inline(never)
    static func writePartial<V: SIMD>(_ acc: V, tile: GemmTile, r: Int, offset: Int, count: Int) where V.Scalar == Float {
        let p = tile.c + r * tile.ldc + offset
        let row = tile.row + r, column = tile.column + offset
        var v = acc * tile.alpha
        if tile.beta != 0 {
            var c = V()
            for j in 0..<count { c[j] = p[j] }
            v = multiplyAdd(v, c, V(repeating: tile.beta))
        }
        if let epilogue = tile.epilogue {
            var bias: V?, gate: V?
            if let source = epilogue.bias {
                var lanes = V()
                for j in 0..<count { lanes[j] = source[column + j] }
                bias = lanes
            }
            if let source = epilogue.gate {
                var lanes = V()
                for j in 0..<count { lanes[j] = source[row * epilogue.ldGate + column + j] }
                gate = lanes
            }
            v = finish(v, epilogue, bias: bias, gate: gate)
        }
        for j in 0..<count { p[j] = v[j] }
    }

    /// A partial tile at the right or bottom edge: `values` holds the accumulators row by row, `stride` floats
    /// apart; finish element by element.
    @inline(never)
    static func writeEdge(_ values: UnsafePointer<Float>, stride: Int, tile: GemmTile) {
        for r in 0..<tile.rows {
            let p = tile.c + r * tile.ldc
            for j in 0..<tile.columns {
                var v = tile.alpha * values[r * stride + j]
                if tile.beta != 0 { v += tile.beta * p[j] }
                if let epilogue = tile.epilogue {
                    v = epilogue.apply(v, row: tile.row + r, column: tile.column + j)
                }
                p[j] = v
            }
        }
    }
}
