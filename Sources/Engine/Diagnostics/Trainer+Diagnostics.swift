// Per-layer diagnostics of the last trained minibatch, read from the training workspace (activations),
// the network (weights, gradients) and the optimizer (the last step's size). Cheap enough to call every
// few dozen steps: one pass over each layer's activations and two over its parameters.

extension Trainer {
    /// Statistics of every layer with weights (dense and conv2d, the output last) over the last trained minibatch.
    /// Empty before the first `step()`, after a restore, and after a step that diverged.
    public func diagnostics() -> [LayerStatistics] {
        // A restore moves `iteration` away from the batch the workspace holds.
        guard let (trainedIteration, rows) = lastTrained, trainedIteration == iteration else { return [] }
        let last = network.layers.count - 1
        var tensor = 0
        return network.layers.enumerated().compactMap { l, layer -> LayerStatistics? in
            guard let layer = layer.parameters else { return nil }
            defer { tensor += 2 }
            let kind = l == last ? LayerKind(spec.output) : LayerKind(network.activations[l] ?? .linear)
            // A conv layer's output seen one row per position, so a column is a channel (dead: ≤ 0 everywhere).
            var a = workspace.a[l].prefix(rows: rows)
            if case .conv2d(let g, _) = spec.plan[l] {
                a = Matrix(base: a.base, rows: rows * g.output.positions, columns: g.output.channels)
            }
            let m = Statistics.moments(a)
            let n = Double(a.count)
            let mean = m.sum / n
            let std = max(m.sumOfSquares / n - mean * mean, 0).squareRoot()
            let low = m.minimum, high = m.maximum > m.minimum ? m.maximum : m.minimum + 1
            let bins = LayerStatistics.histogramBins
            let edges = (0...bins).map { $0 == bins ? high : low + (high - low) * Double($0) / Double(bins) }
            let dead = kind.isReLU ? Double(Statistics.silentColumns(a)) / Double(a.columns) : nil
            let saturated = kind.saturationBounds.map {
                Double(Statistics.countOutside(a, low: Float($0.low), high: Float($0.high))) / n
            }
            let weightNorm = Statistics.sumOfSquares(layer.weight).squareRoot()
            let biasNorm = Statistics.sumOfSquares(layer.bias).squareRoot()
            return LayerStatistics(
                index: l, units: a.columns, activation: kind.name, activationMean: mean, activationStd: std,
                deadFraction: dead, saturatedFraction: saturated, weightNorm: weightNorm,
                gradNorm: Statistics.sumOfSquares(layer.dW).squareRoot(), biasNorm: biasNorm,
                biasGradNorm: Statistics.sumOfSquares(layer.dB).squareRoot(),
                updateRatioWeights: LayerStatistics.ratio(
                    update: optimizer.lastUpdateNorm(of: network, tensor: tensor), parameters: weightNorm),
                updateRatioBiases: LayerStatistics.ratio(
                    update: optimizer.lastUpdateNorm(of: network, tensor: tensor + 1), parameters: biasNorm),
                histogramEdges: edges,
                histogramCounts: Statistics.histogram(a, low: low, high: high, bins: bins))
        }
    }
}

/// What the diagnostics need to know of a layer's activation.
private struct LayerKind {
    let name: String
    let isReLU: Bool
    /// The band of non-saturated values for sigmoid and tanh.
    let saturationBounds: (low: Double, high: Double)?

    init(_ activation: Activation) {
        name = activation.name
        switch activation {
        case .relu, .leakyRelu: isReLU = true; saturationBounds = nil
        case .sigmoid: isReLU = false; saturationBounds = (0.02, 0.98)
        case .tanh: isReLU = false; saturationBounds = (-0.98, 0.98)
        case .softplus, .linear: isReLU = false; saturationBounds = nil
        }
    }

    init(_ output: OutputActivation) {
        name = output.rawValue
        isReLU = output == .relu
        // Reported, but the monitor ignores it: a trained sigmoid output sits near 0 for nine classes of ten.
        saturationBounds = output == .sigmoid ? (0.02, 0.98) : nil
    }
}
