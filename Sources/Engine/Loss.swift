// The output layer's activation and the loss, fused: softmax cross-entropy through log-sum-exp, sigmoid
// (binary) cross-entropy from logits, log-softmax cross-entropy over relu/linear outputs, and MSE.
// Every loss is a mean over the minibatch; forward and backward sit side by side in one pass.

/// The output layer's activation.
public enum OutputActivation: String, CaseIterable, Sendable {
    case softmax, sigmoid, relu, linear

    /// The elementwise activation behind it (softmax is row-wise and handled here).
    var elementwise: Activation {
        switch self {
        case .softmax, .linear: return .linear
        case .sigmoid: return .sigmoid
        case .relu: return .relu
        }
    }
}

/// The loss function.
public enum LossFunction: String, CaseIterable, Sendable {
    /// softmax: -Σ y log softmax(z), mean over samples. sigmoid: binary cross-entropy per class, mean over
    /// samples × classes (PyTorch's BCEWithLogitsLoss). relu/linear: log-softmax of the outputs, mean over samples.
    case crossEntropy = "cross_entropy"
    /// Σ (a - y)² / (samples × classes): PyTorch's MSELoss mean over all elements.
    case mse

    /// The loss a `null` config means: cross-entropy for softmax/sigmoid outputs, MSE for relu/linear.
    public static func defaultFor(_ output: OutputActivation) -> LossFunction {
        output == .softmax || output == .sigmoid ? .crossEntropy : .mse
    }
}

/// The output activation and loss of one network.
struct OutputHead: Equatable, Sendable {
    let output: OutputActivation
    let loss: LossFunction

    /// a = output(z). z and a are (batch, classes).
    func forward<T: EngineScalar>(z: Matrix<T>, a: Matrix<T>) {
        if output == .softmax {
            for i in 0..<z.rows { OutputHead.softmax(z.row(i), into: a.row(i)) }
        } else {
            let f = output.elementwise
            Elementwise.map(z, into: a) { f.value($0) }
        }
    }

    /// The mean loss over the batch; when `dZ` is given, also dLoss/dz into it. All (batch, classes);
    /// `a` must hold forward's outputs. `batchRows`: the whole minibatch's rows when these are a slice of it
    /// (one thread's share: its gradients are scaled for the whole batch; the loss returned is then not its mean).
    func loss<T: EngineScalar>(z: Matrix<T>, a: Matrix<T>, targets y: Matrix<T>, dZ: Matrix<T>?,
                               batchRows: Int? = nil) -> T {
        let batch = T(batchRows ?? z.rows), elements = T((batchRows ?? z.rows) * z.columns)
        var total: T = 0
        switch (output, loss) {
        case (.softmax, .crossEntropy), (.relu, .crossEntropy), (.linear, .crossEntropy):
            // Logits are z for softmax, the outputs a for relu/linear: loss = Σ_j y_j (lse - l_j).
            let logits = output == .softmax ? z : a
            for i in 0..<z.rows {
                let l = logits.row(i), t = y.row(i)
                let lse = OutputHead.logSumExp(l)
                var mass: T = 0
                for j in 0..<l.columns {
                    total += t[j] * (lse - l[j])
                    mass += t[j]
                }
                guard let dZ else { continue }
                // d/dl_j = mass · softmax_j - y_j; softmax_j = exp(l_j - lse) ≤ 1, never overflows. A softmax
                // head's forward already stored exactly that (same lse, same exp) in a.
                if output == .softmax {
                    let p = a.row(i)
                    for j in 0..<l.columns { dZ[i, j] = (mass * p[j] - t[j]) / batch }
                } else {
                    for j in 0..<l.columns { dZ[i, j] = (mass * T.exp(l[j] - lse) - t[j]) / batch }
                }
            }
            if let dZ, output != .softmax { chain(dZ, z: z, a: a) }
            return total / batch
        case (.sigmoid, .crossEntropy):
            for k in 0..<z.count {
                // max(z, 0) - z·y + log(1 + e^-|z|): the logits form, no log(0) for any z.
                let zk = z[k], yk = y[k]
                total += max(zk, 0) - zk * yk + T.log1p(T.exp(-abs(zk)))
                dZ?[k] = (a[k] - yk) / elements
            }
            return total / elements
        case (_, .mse):
            for k in 0..<z.count {
                let d = a[k] - y[k]
                total += d * d
                dZ?[k] = 2 * d / elements
            }
            if let dZ { chain(dZ, z: z, a: a) }
            return total / elements
        }
    }

    /// dZ = dA · da/dz in place, for the output activation (softmax: its Jacobian, row by row).
    private func chain<T: EngineScalar>(_ g: Matrix<T>, z: Matrix<T>, a: Matrix<T>) {
        if output == .softmax {
            for i in 0..<g.rows {
                var dot: T = 0
                for j in 0..<g.columns { dot += a[i, j] * g[i, j] }
                for j in 0..<g.columns { g[i, j] = a[i, j] * (g[i, j] - dot) }
            }
        } else {
            let f = output.elementwise
            Elementwise.scaleByDerivative(g, z: z, a: a) { f.derivative($0, $1) }
        }
    }

    /// log Σ exp(x_j) of one row, shifted by the maximum so it is finite for any finite x.
    static func logSumExp<T: EngineScalar>(_ x: Matrix<T>) -> T {
        var m = x[0]
        for j in 1..<x.count where x[j] > m { m = x[j] }
        var sum: T = 0
        for j in 0..<x.count { sum += T.exp(x[j] - m) }
        return m + T.log(sum)
    }

    /// p = softmax(x) for one row.
    static func softmax<T: EngineScalar>(_ x: Matrix<T>, into p: Matrix<T>) {
        let lse = logSumExp(x)
        for j in 0..<x.count { p[j] = T.exp(x[j] - lse) }
    }
}
