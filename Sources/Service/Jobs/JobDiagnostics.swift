// Per-layer training diagnostics (hidden layers and output) that `GET /jobs/{id}` carries.
import Foundation

/// Diagnostics of every layer, input side first.
public struct JobDiagnostics: Equatable, Sendable {
    public var layers: [LayerDiagnostics]
    public init(layers: [LayerDiagnostics] = []) { self.layers = layers }
}

/// One layer's statistics over the last evaluated batch.
public struct LayerDiagnostics: Equatable, Sendable {
    public var index: Int
    public var units: Int
    public var activationMean: Double
    public var activationStd: Double
    /// Share of units that output ≤ 0 for every sample of the batch (ReLU family), 0...1.
    public var deadFraction: Double
    /// Frobenius norm of the weights.
    public var weightNorm: Double
    /// Frobenius norm of the weight gradient.
    public var gradNorm: Double
    /// ‖ΔW‖ / ‖W‖ of the last update.
    public var updateRatioWeights: Double
    /// ‖Δb‖ / ‖b‖ of the last update.
    public var updateRatioBiases: Double
    /// Histogram of activations: `counts.count == edges.count - 1`.
    public var histogramEdges: [Double]
    public var histogramCounts: [Int]

    public init(index: Int, units: Int, activationMean: Double, activationStd: Double, deadFraction: Double,
                weightNorm: Double, gradNorm: Double, updateRatioWeights: Double, updateRatioBiases: Double,
                histogramEdges: [Double], histogramCounts: [Int]) {
        self.index = index
        self.units = units
        self.activationMean = activationMean
        self.activationStd = activationStd
        self.deadFraction = deadFraction
        self.weightNorm = weightNorm
        self.gradNorm = gradNorm
        self.updateRatioWeights = updateRatioWeights
        self.updateRatioBiases = updateRatioBiases
        self.histogramEdges = histogramEdges
        self.histogramCounts = histogramCounts
    }
}
