// Max and average pooling over samples stored (height, width, channels), forward and backward. Max pooling's
// gradient goes to the first maximum of each window in row-major order (PyTorch's choice for ties); backward
// finds it again from the forward input instead of storing indices.

enum Pooling {
    /// y (rows, OH · OW · C) = the maximum of each window of x (rows, H · W · C).
    static func maxForward<T: EngineScalar>(_ x: Matrix<T>, _ g: PoolGeometry, into y: Matrix<T>) {
        walk(x.rows, g) { n, out, window in
            let src = x.base + n * g.input.count, dst = y.base + n * g.output.count
            for ch in 0..<g.input.channels {
                var best = src[window[0] + ch]
                for k in 1..<window.count where src[window[k] + ch] > best { best = src[window[k] + ch] }
                dst[out + ch] = best
            }
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
