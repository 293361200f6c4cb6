// Watches a job's diagnostics as training runs and says, once per problem and layer, why the network is not
// learning and what to change. The detectors and their thresholds are in TrainingMonitor+Detectors.swift.

/// Turns a stream of per-layer diagnostics into new warnings (each code at most once per layer).
public final class TrainingMonitor {
    public let config: JobConfig
    /// "code/layer" of every warning already given.
    private var given: Set<String> = []
    /// Per hidden layer: consecutive observations whose weights moved ≥ 100× less than their biases.
    var biasOnlyStreak: [Int: Int] = [:]

    public init(config: JobConfig) {
        self.config = config
    }

    /// Feed the diagnostics taken at `iteration`; returns warnings that are NEW (each code fires once per layer
    /// at most). `recentLoss` is a recent mean training loss (nil when unknown); empty `layers` are ignored.
    public func observe(iteration: Int, layers: [LayerStatistics], recentLoss: Double?) -> [TrainingWarning] {
        guard !layers.isEmpty else { return [] }
        let hidden = Array(layers.dropLast())
        var found: [TrainingWarning] = []
        found += deadUnits(layers, iteration: iteration)
        found += onlyBiasesLearning(hidden, iteration: iteration)
        found += vanishingActivations(hidden, iteration: iteration)
        found += saturatedActivations(hidden, iteration: iteration)
        if let recentLoss { found += lossPlateau(recentLoss, classes: layers[layers.count - 1].units, iteration: iteration) }
        return found.filter { given.insert("\($0.code)/\($0.layer.map(String.init) ?? "-")").inserted }
    }
}
