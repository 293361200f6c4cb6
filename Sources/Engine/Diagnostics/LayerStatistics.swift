// One dense layer's health over the trainer's last trained minibatch: activation moments, dead and saturated
// units, parameter and gradient norms, the relative size of the last update, and an activation histogram.

/// Statistics of one layer (hidden layers first, then the output layer) after the last training step.
public struct LayerStatistics: Sendable, Equatable {
    /// 0-based layer index (hidden layers, then output).
    public let index: Int
    public let units: Int
    /// "relu", "leaky_relu", "sigmoid", "tanh", "softplus"; for the output layer its activation ("softmax", ...).
    public let activation: String
    /// Mean and (population) standard deviation of all batch × units activations a = f(z).
    public let activationMean: Double, activationStd: Double
    /// ReLU family (and a relu output) only: share of units whose output is ≤ 0 for every sample of the batch.
    public let deadFraction: Double?
    /// sigmoid/tanh only: share of activations within 0.02 of an asymptote (|tanh| > 0.98, sigmoid < 0.02 or > 0.98).
    public let saturatedFraction: Double?
    /// Frobenius norms of W (outputs × inputs) and of dW from the last step.
    public let weightNorm: Double, gradNorm: Double
    /// Euclidean norms of b and of db from the last step.
    public let biasNorm: Double, biasGradNorm: Double
    /// ‖ΔW‖ / ‖W‖ and ‖Δb‖ / ‖b‖ of the last optimizer step, with ‖W‖, ‖b‖ taken after the step.
    /// Defined as 0 when ‖Δ‖ = 0, and as ‖Δ‖ / 1e-12 when only the parameters' norm is 0.
    public let updateRatioWeights: Double, updateRatioBiases: Double
    /// 21 edges (20 equal bins) from the batch's smallest to its largest activation (min … min + 1 when all equal).
    public let histogramEdges: [Double]
    /// 20 counts summing to batch × units; the last bin includes the upper edge.
    public let histogramCounts: [Int]

    public init(index: Int, units: Int, activation: String, activationMean: Double, activationStd: Double,
                deadFraction: Double?, saturatedFraction: Double?, weightNorm: Double, gradNorm: Double,
                biasNorm: Double, biasGradNorm: Double, updateRatioWeights: Double, updateRatioBiases: Double,
                histogramEdges: [Double], histogramCounts: [Int]) {
        self.index = index
        self.units = units
        self.activation = activation
        self.activationMean = activationMean
        self.activationStd = activationStd
        self.deadFraction = deadFraction
        self.saturatedFraction = saturatedFraction
        self.weightNorm = weightNorm
        self.gradNorm = gradNorm
        self.biasNorm = biasNorm
        self.biasGradNorm = biasGradNorm
        self.updateRatioWeights = updateRatioWeights
        self.updateRatioBiases = updateRatioBiases
        self.histogramEdges = histogramEdges
        self.histogramCounts = histogramCounts
    }

    /// Bins of the activation histogram.
    public static let histogramBins = 20

    /// ‖Δ‖ / ‖p‖ with the documented conventions for zero norms.
    static func ratio(update: Double, parameters: Double) -> Double {
        update == 0 ? 0 : update / max(parameters, 1e-12)
    }
}
