// Max pooling of Float batches with the first maximum's offset recorded in the forward pass, for the backward
// pass to route the gradient through without scanning the windows again. Offsets are kept as the bit patterns
// of Float slots (`Float(bitPattern:)`: exact, and no conversion either way). Windows are scanned sixteen
// channels at a time.

extension Pooling {
    /// y = the maximum of each window of x, and `offsets` (shaped like y) = the offset within its sample of
    /// the window's first maximum in row-major order (PyTorch's choice for ties).
    static func maxForward(_ x: Matrix<Float>, _ g: PoolGeometry, into y: Matrix<Float>, offsets: Matrix<Float>) {
        precondition(offsets.count == y.count && y.rows == x.rows, "max pool shapes")
        let c = g.input.channels, w = g.input.width, kh = g.size.height, kw = g.size.width
        let reach = ((kh - 1) * w + kw - 1) * c + 16
        let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        for n in 0..<x.rows {
            let src = x.base + n * g.input.count
            let dst = y.base + n * g.output.count, at = offsets.base + n * g.output.count
            for oy in 0..<g.output.height {
                for ox in 0..<g.output.width {
                    let out = (oy * g.output.width + ox) * c
                    let origin = (oy * g.stride.height * w + ox * g.stride.width) * c
                    var ch = 0
                    // Sixteen channels at a time in vectors. A last block of fewer channels reads and writes
                    // past them: the reads stay in x, and the writes land on the next outputs' slots, which are
                    // written after this one. Only near the end of the matrices do channels go one by one.
                    while ch < c {
                        let first = origin + ch
                        guard n * g.input.count + first + reach <= x.count,
                              n * g.output.count + out + ch + 16 <= y.count else { break }
                        var best: SIMD16<Float> = loadVector(src + first)
                        var offset = SIMD16<Int32>(repeating: Int32(first)) &+ lanes
                        for ky in 0..<kh {
                            for kx in 0..<kw where ky > 0 || kx > 0 {
                                let o = first + (ky * w + kx) * c, v: SIMD16<Float> = loadVector(src + o)
                                let greater = v .> best
                                best.replace(with: v, where: greater)
                                offset.replace(with: SIMD16<Int32>(repeating: Int32(o)) &+ lanes, where: greater)
                            }
                        }
                        storeVector(best, dst + out + ch)
                        storeVector(unsafeBitCast(offset, to: SIMD16<Float>.self), at + out + ch)
                        ch += 16
                    }
                    while ch < c {
                        var best = src[origin + ch], offset = origin + ch
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let o = origin + (ky * w + kx) * c + ch
                                if src[o] > best { best = src[o]; offset = o }
                            }
                        }
                        dst[out + ch] = best
                        at[out + ch] = Float(bitPattern: UInt32(offset))
                        ch += 1
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
