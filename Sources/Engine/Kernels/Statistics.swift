// The reductions behind training diagnostics: moments, dead units, saturation and histograms of a layer's
// activations, parameter norms, and the size of the last optimizer update rebuilt from the optimizer's state.
// Every loop accumulates in Double, makes one pass and allocates nothing.

enum Statistics {
    /// Sum, sum of squares, minimum and maximum of a view, in one pass.
    struct Moments: Equatable {
        var sum = 0.0, sumOfSquares = 0.0
        var minimum = Double.infinity, maximum = -Double.infinity
    }

    static func moments<T>(_ x: Matrix<T>) -> Moments {
        let xs = x.base
        var m = Moments()
        var lo = T.infinity, hi = -T.infinity
        for i in 0..<x.count {
            let v = xs[i], d = Double(v)
            m.sum += d
            m.sumOfSquares += d * d
            lo = min(lo, v)
            hi = max(hi, v)
        }
        m.minimum = Double(lo)
        m.maximum = Double(hi)
        return m
    }

    /// Columns (units) of x (batch, units) whose every entry is ≤ 0: units a ReLU left silent for the batch.
    static func silentColumns<T>(_ x: Matrix<T>) -> Int {
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
    static func countOutside<T>(_ x: Matrix<T>, low: T, high: T) -> Int {
        let xs = x.base
        var count = 0
        for i in 0..<x.count where xs[i] < low || xs[i] > high { count += 1 }
        return count
    }

    /// Counts of x's entries in `bins` equal bins over [low, high]; the last bin includes `high`, values
    /// outside fall into the end bins. `high > low`.
    static func histogram<T>(_ x: Matrix<T>, low: Double, high: Double, bins: Int) -> [Int] {
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
    static func sumOfSquares<T>(_ x: Matrix<T>) -> Double {
        let xs = x.base
        var sum = 0.0
        for i in 0..<x.count { let d = Double(xs[i]); sum += d * d }
        return sum
    }

    /// Σ Δ² of SGD's last step Δ = lr·(g + wd·p_old), with p_old = (p + lr·g) / (1 − lr·wd) rebuilt from the new p.
    static func sgdStepSquares<T>(parameters p: Matrix<T>, gradients g: Matrix<T>, learningRate lr: Double,
                                  weightDecay wd: Double) -> Double {
        precondition(p.count == g.count)
        let ps = p.base, gs = g.base
        var sum = 0.0
        if wd == 0 || lr * wd == 1 {
            for i in 0..<p.count { let d = lr * Double(gs[i]); sum += d * d }
            return sum
        }
        let keep = 1 / (1 - lr * wd)
        for i in 0..<p.count {
            let grad = Double(gs[i]), old = (Double(ps[i]) + lr * grad) * keep
            let d = lr * (grad + wd * old)
            sum += d * d
        }
        return sum
    }

    /// Σ Δ² of momentum's last step Δ = lr·v, v the velocity after the step.
    static func momentumStepSquares<T>(velocity v: Matrix<T>, learningRate lr: Double) -> Double {
        lr * lr * sumOfSquares(v)
    }

    /// Σ Δ² of Adam's last step Δ = stepSize·m / (√v / correction2 + eps), m and v the moments after the step.
    static func adamStepSquares<T>(first m: Matrix<T>, second v: Matrix<T>, stepSize: Double, correction2: Double,
                                   epsilon: Double) -> Double {
        precondition(m.count == v.count)
        let ms = m.base, vs = v.base
        var sum = 0.0
        for i in 0..<m.count {
            let d = stepSize * Double(ms[i]) / (Double(vs[i]).squareRoot() / correction2 + epsilon)
            sum += d * d
        }
        return sum
    }
}
