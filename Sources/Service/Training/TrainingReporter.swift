// Where the training loop's news goes. A service job records it in the job store; `mnistd train` draws a
// progress bar and keeps the warnings; a remote trainer would send it to the service that asked for the run.
import Engine
import Foundation

/// How a run of the training loop ended.
public enum TrainingEnding {
    /// Every iteration ran: the final model.
    case succeeded(Model)
    /// A client cancelled the run where it stood.
    case cancelled
    /// The service is stopping: the run's last checkpoint was just reported; it resumes from there.
    case stopped
    /// The run reached the iteration it was asked to pause at (a successive-halving rung): its checkpoint was
    /// just reported, and it continues from there if it is let go on.
    case paused
}

/// Where a run stands, reported a few times a second, after each evaluation and at the end.
public struct TrainingProgress {
    /// Completed iterations, and the 1-based epoch the last one belongs to (0 before the first step).
    public let iteration: Int
    public let epoch: Int
    public let iterations: Int
    public let iterationsPerEpoch: Int
    public let batchSize: Int
    /// Samples trained since the previous report, and the smoothed throughput (nil until measured).
    public let samples: Int
    public let samplesPerSecond: Double?
    /// Train values over the last (up to) 100 minibatches, test values from the last evaluation.
    public let metrics: JobMetrics
    /// The last minibatch trained in this run, nil before the first.
    public let lastStep: StepResult?
    /// Early stopping's watch (nil without early stopping).
    public var earlyStopping: JobEarlyStopping? = nil
}

/// Receives what the training loop does, in order, on the loop's thread. Every method may throw to stop the
/// run; each has a default that ignores the news.
public protocol TrainingReporter: AnyObject {
    /// One minibatch trained (one history point).
    func trained(_ step: StepResult) throws
    /// A test-set evaluation after `iteration` (1-based `epoch`).
    func evaluated(_ evaluation: Evaluation, iteration: Int, epoch: Int) throws
    /// An evaluation of the held-out validation samples after `iteration`, just before the test set's.
    func validated(_ evaluation: Evaluation, iteration: Int, epoch: Int) throws
    /// Per-layer statistics of the minibatch just trained, with the training monitor's new findings.
    func diagnosed(_ layers: [LayerStatistics], found: [TrainingWarning]) throws
    func progressed(_ progress: TrainingProgress) throws
    /// About once a second: a moment to write buffered records out.
    func flush() throws
    /// The trainer's state, every `checkpointInterval` seconds and before a `.stopped` ending.
    func checkpoint(_ checkpoint: Checkpoint) throws
    /// The last call of a run, with the metrics it ended on.
    func finished(_ ending: TrainingEnding, metrics: JobMetrics) throws
}

extension TrainingReporter {
    public func trained(_ step: StepResult) throws {}
    public func evaluated(_ evaluation: Evaluation, iteration: Int, epoch: Int) throws {}
    public func validated(_ evaluation: Evaluation, iteration: Int, epoch: Int) throws {}
    public func diagnosed(_ layers: [LayerStatistics], found: [TrainingWarning]) throws {}
    public func progressed(_ progress: TrainingProgress) throws {}
    public func flush() throws {}
    public func checkpoint(_ checkpoint: Checkpoint) throws {}
    public func finished(_ ending: TrainingEnding, metrics: JobMetrics) throws {}
}
