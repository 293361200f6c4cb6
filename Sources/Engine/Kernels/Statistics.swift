// The reductions behind training diagnostics: moments, dead units, saturation and histograms of a layer's
// activations, parameter norms, and the size of the last optimizer update rebuilt from the optimizer's state.
// Sums run in SIMD8<Float> accumulators flushed into a Double every 1024 elements (a chunk that overflows
// Float is redone in Double). Nothing allocates but the histogram's 20 counts.

enum Statistics {
    /// Sum, sum of squares, minimum and maximum of a view, in one pass.
    struct Moments: Equatable {
        var sum = 0.0, sumOfSquares = 0.0
        var minimum = Double.infinity, maximum = -Double.infinity
    }

    static func moments(_ x: Matrix<Float>) -> Moments {
        var m = Moments()
        let xs = x.base, count = x.count
        var lo = SIMD8<Float>(repeating: .infinity), hi = SIMD8<Float>(repeating: -.infinity)
        var start = 0
        // Plain loops, no closure: the accumulators must stay in registers.
        while start < count {
            let end = min(start + 1024, count)
            var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), q0 = SIMD8<Float>(), q1 = SIMD8<Float>()
            var i = start
            while i + 16 <= end {
                let v0 = load(xs, i), v1 = load(xs, i + 8)
                s0 += v0; s1 += v1
                q0 += v0 * v0; q1 += v1 * v1
                lo = pointwiseMin(lo, pointwiseMin(v0, v1))
                hi = pointwiseMax(hi, pointwiseMax(v0, v1))
                i += 16
            }
            var sum = Double((s0 + s1).sum()), squares = Double((q0 + q1).sum())
            if !squares.isFinite { sum = 0; squares = 0; i = start }   // |x| > 1.8e19: redo the chunk in Double
            while i < end {
                let v = xs[i], d = Double(v)
                sum += d; squares += d * d
                lo[0] = min(lo[0], v); hi[0] = max(hi[0], v)
                i += 1
            }
            m.sum += sum
            m.sumOfSquares += squares
            start = end
        }
        m.minimum = Double(lo.min())
        m.maximum = Double(hi.max())
        return m
    }

    /// Columns (units) of x (batch, units) whose every entry is ≤ 0: units a ReLU left silent for the batch.
    static func silentColumns(_ x: Matrix<Float>) -> Int {
        let xs = x.base, columns = x.columns
        var silent = 0
        for j in 0..<columns {
            var alive = false
            // Strided, but a batch is ~128 rows and the loop stops at the first positive entry.
            for i in 0..<x.rows where xs[i * columns + j] > 0 { alive = true; break }
            if !alive { silent += 1 }
        }
        return silent
    }

    /// Entries outside [low, high] (activations near an asymptote).
    static func countOutside(_ x: Matrix<Float>, low: Float, high: Float) -> Int {
        let xs = x.base
        var count = 0
        for i in 0..<x.count where xs[i] < low || xs[i] > high { count += 1 }
        return count
    }

    /// Counts of x's entries in `bins` equal bins over [low, high]; the last bin includes `high`, values
    /// outside fall into the end bins. `high > low`.
    static func histogram(_ x: Matrix<Float>, low: Double, high: Double, bins: Int) -> [Int] {
        precondition(high > low && bins > 0)
        var counts = [Int](repeating: 0, count: bins)
        let xs = x.base
        let scale = Double(bins) / (high - low)
        counts.withUnsafeMutableBufferPointer { counts in
            for i in 0..<x.count {
                let position = (Double(xs[i]) - low) * scale
                // NaN compares false with everything and lands in bin 0 rather than trapping.
                let bin = position >= Double(bins) ? bins - 1 : (position > 0 ? Int(position) : 0)
                counts[bin] += 1
            }
        }
        return counts
    }

    /// Σ x².
    static func sumOfSquares(_ x: Matrix<Float>) -> Double {
        var total = 0.0
        chunks(x.count) { start, end in
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            var i = start
            while i + 32 <= end {
                let v0 = load(x.base, i), v1 = load(x.base, i + 8), v2 = load(x.base, i + 16), v3 = load(x.base, i + 24)
                a0 += v0 * v0; a1 += v1 * v1; a2 += v2 * v2; a3 += v3 * v3
                i += 32
            }
            var chunk = Double((a0 + a1 + a2 + a3).sum())
            if !chunk.isFinite { chunk = 0; i = start }   // |x| > 1.8e19 overflows Float squares: redo in Double
            while i < end { let d = Double(x.base[i]); chunk += d * d; i += 1 }
            total += chunk
        }
        return total
    }

    /// Σ Δ² of SGD's last step Δ = lr·(g + wd·p_old), with p_old = (p + lr·g) / (1 − lr·wd) rebuilt from the new p.
    static func sgdStepSquares(parameters p: Matrix<Float>, gradients g: Matrix<Float>, learningRate lr: Double,
                               weightDecay wd: Double) -> Double {
        precondition(p.count == g.count)
        if wd == 0 || lr * wd == 1 { return lr * lr * sumOfSquares(g) }
        let rate = Float(lr), decay = Float(wd), keep = Float(1 / (1 - lr * wd))
        return squaredSum(p.count) { i in
            let grad = load(g.base, i), old = (load(p.base, i) + rate * grad) * keep
            return rate * (grad + decay * old)
        } scalar: { i in
            let old = (p.base[i] + rate * g.base[i]) * keep
            return rate * (g.base[i] + decay * old)
        }
    }

    /// Σ Δ² of momentum's last step Δ = lr·v, v the velocity after the step.
    static func momentumStepSquares(velocity v: Matrix<Float>, learningRate lr: Double) -> Double {
        lr * lr * sumOfSquares(v)
    }

    /// Σ Δ² of Adam's last step Δ = stepSize·m / (√v / correction2 + eps), m and v the moments after the step.
    static func adamStepSquares(first m: Matrix<Float>, second v: Matrix<Float>, stepSize: Double, correction2: Double,
                                epsilon: Double) -> Double {
        precondition(m.count == v.count)
        let size = Float(stepSize), inverse = Float(1 / correction2), eps = Float(epsilon)
        return squaredSum(m.count) { i in
            size * load(m.base, i) / (load(v.base, i).squareRoot() * inverse + eps)
        } scalar: { i in
            size * m.base[i] / (v.base[i].squareRoot() * inverse + eps)
        }
    }

    /// Σ Δ² of Nesterov's last step Δ = lr·(g + wd·p_old + μ·v), v the velocity after the step; p_old = p + Δ
    /// gives Δ = lr·(g + wd·p + μ·v) / (1 − lr·wd) from the parameters after it.
    static func nesterovStepSquares(parameters p: Matrix<Float>, gradients g: Matrix<Float>, velocity v: Matrix<Float>,
                                    learningRate lr: Double, momentum mu: Double, weightDecay wd: Double) -> Double {
        precondition(p.count == g.count && p.count == v.count)
        let rate = Float(lr / (1 - lr * wd)), decay = Float(wd), mom = Float(mu)
        return squaredSum(p.count) { i in
            rate * (load(g.base, i) + decay * load(p.base, i) + mom * load(v.base, i))
        } scalar: { i in
            rate * (g.base[i] + decay * p.base[i] + mom * v.base[i])
        }
    }

    /// Σ Δ² of AdamW's last step: p = p_old·shrink − a with a Adam's step from the moments after it, so
    /// Δ = p_old − p = (p + a)/shrink − p.
    static func adamwStepSquares(parameters p: Matrix<Float>, first m: Matrix<Float>, second v: Matrix<Float>,
                                 stepSize: Double, correction2: Double, epsilon: Double, shrink: Double) -> Double {
        precondition(m.count == v.count && p.count == m.count)
        let size = Float(stepSize), inverse = Float(1 / correction2), eps = Float(epsilon), keep = Float(1 / shrink)
        return squaredSum(m.count) { i in
            let a = size * load(m.base, i) / (load(v.base, i).squareRoot() * inverse + eps), now = load(p.base, i)
            return (now + a) * keep - now
        } scalar: { i in
            let a = size * m.base[i] / (v.base[i].squareRoot() * inverse + eps)
            return (p.base[i] + a) * keep - p.base[i]
        }
    }

    /// Σ d(i)² over 0..<count: `vector(i)` gives d for i..<i+8, `scalar(i)` for the tail.
    @inline(__always) private static func squaredSum(_ count: Int, vector: (Int) -> SIMD8<Float>,
                                                     scalar: (Int) -> Float) -> Double {
        var total = 0.0
        chunks(count) { start, end in
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
            var i = start
            while i + 16 <= end {
                let d0 = vector(i), d1 = vector(i + 8)
                a0 += d0 * d0; a1 += d1 * d1
                i += 16
            }
            var chunk = Double((a0 + a1).sum())
            if !chunk.isFinite { chunk = 0; i = start }   // overflowed in Float: redo the chunk in Double
            while i < end { let d = Double(scalar(i)); chunk += d * d; i += 1 }
            total += chunk
        }
        return total
    }

    /// Calls `body(start, end)` over consecutive ranges of at most 1024 elements: Float partial sums of so few
    /// terms stay accurate to ~1e-6 before they meet the Double total.
    @inline(__always) private static func chunks(_ count: Int, _ body: (Int, Int) -> Void) {
        var start = 0
        while start < count {
            let end = min(start + 1024, count)
            body(start, end)
            start = end
        }
    }

    @inline(__always) private static func load(_ base: UnsafeMutablePointer<Float>, _ i: Int) -> SIMD8<Float> {
        UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self)
    }
}
