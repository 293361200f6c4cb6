// Per-layer diagnostics while a job trains: the engine's statistics of the last minibatch become the job's
// `diagnostics.layers`, and the training monitor's new findings are appended to its `warnings`.
import Engine
import Foundation

extension JobRecorder {
    /// Publishes the statistics of the minibatch just trained with any new monitor warning.
    func diagnosed(_ layers: [LayerStatistics], found: [TrainingWarning]) throws {
        let diagnostics = JobDiagnostics(layers: layers.map(LayerDiagnostics.init))
        try store.update(id, persist: false) { job in
            job.diagnostics = diagnostics
            // After a restart the monitor starts afresh: a finding already on the job is not repeated.
            for warning in found where !job.warnings.contains(where: { $0.code == warning.code && $0.layer == warning.layer }) {
                job.warnings.append(JobWarning(code: warning.code, message: warning.message, layer: warning.layer,
                                               iteration: warning.iteration))
            }
        }
    }
}

extension LayerDiagnostics {
    /// The API's fields of the engine's statistics; `dead_fraction` is null for activations without a kink.
    init(_ statistics: LayerStatistics) {
        self.init(index: statistics.index, units: statistics.units, activationMean: statistics.activationMean,
                  activationStd: statistics.activationStd, deadFraction: statistics.deadFraction ?? .nan,
                  weightNorm: statistics.weightNorm, gradNorm: statistics.gradNorm,
                  updateRatioWeights: statistics.updateRatioWeights, updateRatioBiases: statistics.updateRatioBiases,
                  histogramEdges: statistics.histogramEdges, histogramCounts: statistics.histogramCounts)
    }
}
