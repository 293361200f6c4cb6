// Early stopping as a job shows it (`early_stopping` in GET /jobs/{id}): what it watches, its best evaluation
// so far, how long it has waited, and, once the run ended, where it stopped and whose weights the model holds.
import Engine
import Foundation

public struct JobEarlyStopping: Equatable, Sendable {
    public var metric: String
    public var patience: Int
    public var bestIteration: Int?
    public var bestValue: Double?
    /// Evaluations since the best without a gain.
    public var waited: Int
    /// The iteration the run stopped at, when it stopped before its last.
    public var stoppedAtIteration: Int?
    /// The iteration of the evaluation whose weights the model holds, when the run ended on the best ones.
    public var keptIteration: Int?

    /// The watch of a trainer now (nil without early stopping).
    init?(_ trainer: Trainer, kept: Int? = nil) {
        guard let settings = trainer.config.training.earlyStopping else { return nil }
        let state = trainer.earlyStoppingState
        metric = settings.metric.rawValue
        patience = settings.patience
        bestIteration = state.bestIteration
        bestValue = state.bestValue(settings)
        waited = state.waited
        stoppedAtIteration = state.stoppedAt
        keptIteration = kept
    }

    public var json: JSONValue {
        ["metric": .string(metric), "patience": .int(patience), "best_iteration": bestIteration.map(JSONValue.int) ?? .null,
         "best_value": .number(bestValue), "waited": .int(waited),
         "stopped_at_iteration": stoppedAtIteration.map(JSONValue.int) ?? .null,
         "kept_iteration": keptIteration.map(JSONValue.int) ?? .null]
    }

    init(reader r: JSONReader) throws {
        metric = try r.string("metric")
        patience = try r.int("patience")
        bestIteration = try r.optionalInt("best_iteration")
        bestValue = try r.optionalDouble("best_value")
        waited = try r.int("waited")
        stoppedAtIteration = try r.optionalInt("stopped_at_iteration")
        keptIteration = try r.optionalInt("kept_iteration")
    }
}
