// Max pooling of Float batches with the first maximum's offset recorded in the forward pass, for the backward
// pass to route the gradient through without scanning the windows again. Offsets are kept as the bit patterns
// of Float slots (`Float(bitPattern:)`: exact, and no conversion either way).

extension Pooling {
    /// y = the maximum of each window of x, and `offsets` (shaped like y) = the offset within its sample of
    /// the window's first maximum in row-major order (PyTorch's choice for ties).
    static func maxForward(_ x: Matrix<Float>, _ g: PoolGeometry, into y: Matrix<Float>, offsets: Matrix<Float>) {
        precondition(offsets.count == y.count && y.rows == x.rows, "max pool shapes")
        let c = g.input.channels, w = g.input.width, kh = g.size.height, kw = g.size.width
        for n in 0..<x.rows {
            let src = x.base + n * g.input.count
            let dst = y.base + n * g.output.count, at = offsets.base + n * g.output.count
            for oy in 0..<g.output.height {
                for ox in 0..<g.output.width {
                    let out = (oy * g.output.width + ox) * c
                    let origin = (oy * g.stride.height * w + ox * g.stride.width) * c
                    // Channel by channel, the window's scan in registers: the channels' chains are independent,
                    // so they overlap (a loop over channels innermost vectorizes into masked stores and reloads).
                    for ch in 0..<c {
                        var best = src[origin + ch], offset = origin + ch
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let o = origin + (ky * w + kx) * c + ch
                                if src[o] > best { best = src[o]; offset = o }
                            }
                        }
                        dst[out + ch] = best
                        at[out + ch] = Float(bitPattern: UInt32(offset))
                    }
                }
            }
        }
    }

    /// dX = dY routed to the recorded offsets; overlapping windows add, in the order of the outputs.
    static func maxBackward(_ dY: Matrix<Float>, offsets: Matrix<Float>, _ g: PoolGeometry, into dX: Matrix<Float>) {
        precondition(offsets.count == dY.count && dX.rows == dY.rows, "max pool backward shapes")
        dX.base.update(repeating: 0, count: dX.count)
        for n in 0..<dY.rows {
            let grad = dY.base + n * g.output.count, at = offsets.base + n * g.output.count
            let dst = dX.base + n * g.input.count
            for o in 0..<g.output.count { dst[Int(at[o].bitPattern)] += grad[o] }
        }
    }
}
