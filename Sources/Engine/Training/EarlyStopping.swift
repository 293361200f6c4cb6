// Early stopping on a validation metric, as Keras's EarlyStopping: the first evaluation sets the best value,
// each later one that does not beat it by more than `minDelta` counts against `patience`, and the run stops
// at the evaluation that brings the count to `patience` (so with no gain at all after the first, at evaluation
// patience + 1). The best weights are kept, so the run can end on them instead of its last.

/// What early stopping watches and how long it waits.
public struct EarlyStoppingSettings: Equatable, Sendable {
    public enum Metric: String, CaseIterable, Sendable {
        case validation_loss, validation_accuracy
    }

    public var metric: Metric = .validation_loss
    /// Evaluations without a gain after which the run stops.
    public var patience: Int = 3
    /// How much better than the best a value must be to count as a gain.
    public var minDelta: Double = 0
    /// Whether the run ends on the best evaluation's weights rather than its last.
    public var restoreBest: Bool = true

    public init() {}
}

/// The watch's state: what a checkpoint keeps so a resumed run waits exactly as it would have.
public struct EarlyStoppingState: Codable, Equatable, Sendable {
    /// The best value so far and the iteration it was measured at (nil before the first evaluation).
    public var best: Double?
    public var bestIteration: Int?
    /// Evaluations since the best without a gain.
    public var waited = 0
    /// The iteration the run stopped at, once it has.
    public var stoppedAt: Int?

    public init() {}

    /// Takes the evaluation at `iteration`; returns whether it is a new best (the caller keeps its weights).
    public mutating func observe(_ evaluation: Evaluation, iteration: Int, settings: EarlyStoppingSettings) -> Bool {
        // Loss improves downwards, accuracy upwards; both compare as "smaller is better" here.
        let value = settings.metric == .validation_loss ? evaluation.loss : -evaluation.accuracy
        if let best, !(value < best - settings.minDelta) {
            waited += 1
            if waited >= settings.patience { stoppedAt = iteration }
            return false
        }
        best = value
        bestIteration = iteration
        waited = 0
        return true
    }

    /// The best value as the metric reads (accuracy positive again).
    public func bestValue(_ settings: EarlyStoppingSettings) -> Double? {
        best.map { settings.metric == .validation_loss ? $0 : -$0 }
    }
}
