// A problem the training monitor spotted while a job runs, with the change that fixes it.
import Foundation

/// One finding of `TrainingMonitor`: a stable code, a sentence naming the fix, the layer, and when it was seen.
public struct TrainingWarning: Sendable, Equatable {
    /// dead_relu | only_biases_learning | vanishing_activations | saturated_activations | loss_plateau
    public let code: String
    public let message: String
    /// The 0-based layer concerned; nil for whole-network findings (loss_plateau).
    public let layer: Int?
    /// The training iteration whose diagnostics showed it.
    public let iteration: Int

    public init(code: String, message: String, layer: Int?, iteration: Int) {
        self.code = code
        self.message = message
        self.layer = layer
        self.iteration = iteration
    }

    /// `{"code", "message", "layer", "iteration"}` for JSON bodies (layer null when nil).
    public var jsonObject: [String: Any] {
        ["code": code, "message": message, "layer": layer as Any? ?? NSNull(), "iteration": iteration]
    }
}
