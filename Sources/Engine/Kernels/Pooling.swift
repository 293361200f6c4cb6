// Max and average pooling over samples stored (height, width, channels), forward and backward. Max pooling's
// gradient goes to the first maximum of each window in row-major order (PyTorch's choice for ties); the forward
// pass can record where that is (`argmax`), so that backward routes the gradient without scanning again.

enum Pooling {
    /// y (rows, OH · OW · C) = the maximum of each window of x (rows, H · W · C); with `argmax` (shaped like
    /// y), also the offset within its sample of each window's first maximum, as a scalar (exact: offsets are
    /// below 2^24).
    static func maxForward<T: EngineScalar>(_ x: Matrix<T>, _ g: PoolGeometry, into y: Matrix<T>,
                                            argmax: Matrix<T>? = nil) {
        precondition(g.input.count < 1 << 24 && argmax.map { $0.count == y.count } ?? true, "max pool argmax")
        let c = g.input.channels, w = g.input.width, kh = g.size.height, kw = g.size.width
        for n in 0..<x.rows {
            let src = x.base + n * g.input.count, dst = y.base + n * g.output.count
            let indices = argmax.map { $0.base + n * g.output.count }
            for oy in 0..<g.output.height {
                for ox in 0..<g.output.width {
                    let out = (oy * g.output.width + ox) * c
                    let origin = (oy * g.stride.height * w + ox * g.stride.width) * c
                    for ch in 0..<c {
                        var at = origin + ch, best = src[at]
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let o = origin + (ky * w + kx) * c + ch
                                if src[o] > best { best = src[o]; at = o }
                            }
                        }
                        dst[out + ch] = best
                        if let indices { indices[out + ch] = T(at) }
                    }
                }
            }
        }
    }

    /// dX = dY routed to the offsets `argmax` recorded by the forward pass; overlapping windows add, in the
    /// order of the outputs (as `maxBackward(_:input:_:into:)` adds them).
    static func maxBackward<T: EngineScalar>(_ dY: Matrix<T>, argmax: Matrix<T>, _ g: PoolGeometry, into dX: Matrix<T>) {
        precondition(argmax.count == dY.count && dX.rows == dY.rows, "max pool backward shapes")
        dX.base.update(repeating: 0, count: dX.count)
        for n in 0..<dY.rows {
            let grad = dY.base + n * g.output.count, at = argmax.base + n * g.output.count
            let dst = dX.base + n * g.input.count
            for o in 0..<g.output.count { dst[Int(at[o])] += grad[o] }
        }
    }

    /// dX = dY routed to the first maximum of each window of the forward input x; overlapping windows add.
    static func maxBackward<T: EngineScalar>(_ dY: Matrix<T>, input x: Matrix<T>, _ g: PoolGeometry, into dX: Matrix<T>) {
        dX.base.update(repeating: 0, count: dX.count)
        firstMaxima(x, g) { n, out, best in
            dX.base[n * g.input.count + best] += dY.base[n * g.output.count + out]
        }
    }

    /// Calls `body(sample, output offset, input offset)` for every output of every sample with the offset (within
    /// the sample) of its window's first maximum: where max pooling's gradient goes.
    static func firstMaxima<T: EngineScalar>(_ x: Matrix<T>, _ g: PoolGeometry, _ body: (Int, Int, Int) -> Void) {
        walk(x.rows, g) { n, out, window in
            let src = x.base + n * g.input.count
            for ch in 0..<g.input.channels {
                var best = window[0] + ch
                for k in 1..<window.count where src[window[k] + ch] > src[best] { best = window[k] + ch }
                body(n, out + ch, best)
            }
        }
    }

    /// y = the mean of each window of x.
    static func averageForward<T: EngineScalar>(_ x: Matrix<T>, _ g: PoolGeometry, into y: Matrix<T>) {
        let scale = 1 / T(Double(g.size.height * g.size.width))
        walk(x.rows, g) { n, out, window in
            let src = x.base + n * g.input.count, dst = y.base + n * g.output.count
            for ch in 0..<g.input.channels {
                var sum: T = 0
                for offset in window { sum += src[offset + ch] }
                dst[out + ch] = sum * scale
            }
        }
    }

    /// dX = dY shared equally by every position of its window; overlapping windows add.
    static func averageBackward<T: EngineScalar>(_ dY: Matrix<T>, _ g: PoolGeometry, into dX: Matrix<T>) {
        dX.base.update(repeating: 0, count: dX.count)
        let scale = 1 / T(Double(g.size.height * g.size.width))
        walk(dY.rows, g) { n, out, window in
            let grad = dY.base + n * g.output.count, dst = dX.base + n * g.input.count
            for ch in 0..<g.input.channels {
                let share = grad[out + ch] * scale
                for offset in window { dst[offset + ch] += share }
            }
        }
    }

    /// Calls `body(sample, output offset, window offsets)` for every output position of every sample, with the
    /// input offsets (channel 0) of the window's positions in row-major order. The offsets array is reused.
    private static func walk(_ rows: Int, _ g: PoolGeometry, _ body: (Int, Int, UnsafeBufferPointer<Int>) -> Void) {
        let c = g.input.channels, w = g.input.width
        let kh = g.size.height, kw = g.size.width
        withUnsafeTemporaryAllocation(of: Int.self, capacity: kh * kw) { window in
            for n in 0..<rows {
                for oy in 0..<g.output.height {
                    for ox in 0..<g.output.width {
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                window[ky * kw + kx] = ((oy * g.stride.height + ky) * w + ox * g.stride.width + kx) * c
                            }
                        }
                        body(n, (oy * g.output.width + ox) * c, UnsafeBufferPointer(window))
                    }
                }
            }
        }
    }
}
