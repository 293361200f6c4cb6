// One training step of a ReLU network with a softmax cross-entropy head, computed exactly (in Double, from the
// Float parameters and inputs), and a first-order bound on how far two Float computations of its loss can land
// apart when each rounds every sum in its own order.
import Foundation

/// The exact step, and the bound on |loss₁ − loss₂|. Each layer's sums are within γ · Σ|terms| of the exact
/// ones in either run (`FloatRounding`); a perturbation e of the pre-activations z_l moves the loss by at most
/// Σ |∂L/∂a_l| · e to first order (ReLU′ ≤ 1, so ∂L/∂a_l, taken before the gate, also covers a unit that is on
/// in one run and off in the other). The bound is that sum over every layer, plus both runs' rounding of the
/// softmax, the log and the mean.
struct StepErrorBound {
    /// How the two computations being compared form layer 0's sums.
    enum FirstLayerSums {
        /// Both run a product over all inputs, in different orders.
        case dense
        /// One is the dense product; the other starts from b + c·ΣW and adds (x − c)·W over the pixels whose
        /// value is not c (the sparse path; c is the value of a zero byte).
        case sparseAgainstDense(zeroValue: Double)
    }

    /// The exact mean loss of the minibatch.
    let loss: Double
    /// |loss₁ − loss₂| is at most this (to first order in the unit roundoff).
    let lossBound: Double
    /// The exact gradient of the mean loss, in the network's flat parameter layout.
    let gradient: [Double]

    /// `widths` [inputs, hidden…, outputs]; `parameters` in the network's flat layout (W₀ (outputs × inputs),
    /// b₀, W₁, b₁, …); `input` rows × inputs.
    init(widths: [Int], parameters: [Float], input: [Double], labels: [Int], firstLayer: FirstLayerSums) {
        let rows = labels.count, layers = widths.count - 1
        let p = parameters.map(Double.init)
        var weightStart: [Int] = [], biasStart: [Int] = [], offset = 0
        for l in 0..<layers {
            weightStart.append(offset); offset += widths[l] * widths[l + 1]
            biasStart.append(offset); offset += widths[l + 1]
        }
        precondition(offset == p.count && input.count == rows * widths[0])
        func w(_ l: Int, _ j: Int, _ k: Int) -> Double { p[weightStart[l] + j * widths[l] + k] }
        let gamma = FloatRounding.gamma

        // Forward: exact z and a per layer, and e, what the two runs' sums of z can differ by.
        var a: [[Double]] = [input], z: [[Double]] = [], e: [[Double]] = []
        for l in 0..<layers {
            let n = widths[l], m = widths[l + 1], x = a[l]
            // The zero byte's value c when this layer's sums are the sparse path's in one run, and Σ|W[j, :]|.
            var zeroValue: Double?
            if case let .sparseAgainstDense(c) = firstLayer, l == 0 { zeroValue = c }
            let columnSums = zeroValue == nil ? [] : (0..<m).map { j in (0..<n).reduce(0.0) { $0 + abs(w(l, j, $1)) } }
            var zl = [Double](repeating: 0, count: rows * m), el = zl
            for r in 0..<rows {
                for j in 0..<m {
                    let bias = p[biasStart[l] + j]
                    var sum = bias, magnitude = abs(bias), shifted = 0.0
                    for k in 0..<n {
                        let term = x[r * n + k] * w(l, j, k)
                        sum += term
                        magnitude += abs(term)
                        if let c = zeroValue { shifted += abs((x[r * n + k] - c) * w(l, j, k)) }
                    }
                    zl[r * m + j] = sum
                    if let c = zeroValue {
                        // n products and sums, one subtraction per pixel, and the start vector's c·ΣW.
                        el[r * m + j] = gamma(n + 3) * (magnitude + abs(bias) + abs(c) * columnSums[j] + shifted)
                    } else {
                        el[r * m + j] = 2 * gamma(n + 1) * magnitude
                    }
                }
            }
            z.append(zl)
            e.append(el)
            a.append(l == layers - 1 ? zl : zl.map { max($0, 0) })
        }

        // The loss, mean over rows of logsumexp(z) − z[label], and δ = ∂L/∂z of the output layer.
        let outputs = widths[layers], logits = z[layers - 1]
        var delta = [Double](repeating: 0, count: rows * outputs)
        var lossSum = 0.0, lossMagnitude = 0.0
        for r in 0..<rows {
            let row = logits[(r * outputs)..<((r + 1) * outputs)]
            let top = row.max()!
            let logSumExp = top + log(row.reduce(0) { $0 + exp($1 - top) })
            lossSum += logSumExp - logits[r * outputs + labels[r]]
            lossMagnitude += abs(logSumExp) + abs(top) + abs(logits[r * outputs + labels[r]])
            for j in 0..<outputs {
                delta[r * outputs + j] = (exp(logits[r * outputs + j] - logSumExp) - (j == labels[r] ? 1 : 0)) / Double(rows)
            }
        }
        loss = lossSum / Double(rows)
        var bound = 2 * gamma(outputs + rows + 8) * lossMagnitude / Double(rows)
        bound += zip(delta, e[layers - 1]).reduce(0) { $0 + abs($1.0) * $1.1 }

        // Backward: the exact gradient, and each hidden layer's share of the bound through ∂L/∂a.
        var gradient = [Double](repeating: 0, count: p.count)
        for l in stride(from: layers - 1, through: 0, by: -1) {
            let n = widths[l], m = widths[l + 1], x = a[l]
            for r in 0..<rows {
                for j in 0..<m {
                    let d = delta[r * m + j]
                    guard d != 0 else { continue }
                    gradient[biasStart[l] + j] += d
                    for k in 0..<n { gradient[weightStart[l] + j * n + k] += d * x[r * n + k] }
                }
            }
            guard l > 0 else { break }
            var below = [Double](repeating: 0, count: rows * n)
            for r in 0..<rows {
                for k in 0..<n {
                    var sum = 0.0
                    for j in 0..<m { sum += delta[r * m + j] * w(l, j, k) }
                    bound += abs(sum) * e[l - 1][r * n + k]
                    below[r * n + k] = z[l - 1][r * n + k] > 0 ? sum : 0
                }
            }
            delta = below
        }
        lossBound = bound
        self.gradient = gradient
    }
}
