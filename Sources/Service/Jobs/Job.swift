// A training job as the API shows it (`GET /jobs/{id}`): identity, lifecycle state and timestamps,
// the opaque config, live progress and metrics, lint warnings, diagnostics, and the outcome.
import Foundation

/// A job's lifecycle state. `queued → running → succeeded | failed | cancelled`; `queued → cancelled`.
public enum JobState: String, CaseIterable, Sendable {
    case queued, running, succeeded, failed, cancelled

    /// True for states a job never leaves (it may then be deleted).
    public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// One job record. The service owns its state; the engine fills progress, metrics and diagnostics.
public struct Job: Equatable, Sendable {
    public var id: String
    public var name: String
    public var state: JobState
    /// The full config with defaults filled, as the engine's JobConfig renders it.
    public var config: JSONValue
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var progress: JobProgress
    public var metrics: JobMetrics
    public var warnings: [JobWarning]
    public var diagnostics: JobDiagnostics
    public var modelID: String?
    public var error: JobFailure?
    /// Set when a restart resumed the job from a checkpoint: the iteration it continued from.
    public var resumedFromIteration: Int?
    /// The network: `{"parameters", "layers": [{"type", "activation", "output_shape", "parameters"}]}` (null for
    /// jobs stored before it was recorded).
    public var architecture: JSONValue = .null
    /// Early stopping's watch and outcome (nil without early stopping).
    public var earlyStopping: JobEarlyStopping?
    /// The experiment (sweep, init comparison) the job is a run of.
    public var experimentID: String?
    /// Where successive halving has the run (nil outside a halving sweep, and before its first rung).
    public var halving: JobHalving?

    /// A new queued job. Timestamps keep millisecond precision so they survive RFC 3339 round trips.
    public init(id: String, name: String, config: JSONValue, createdAt: Date = Date(),
                progress: JobProgress = JobProgress(), warnings: [JobWarning] = []) {
        self.id = id
        self.name = name
        self.state = .queued
        self.config = config
        self.createdAt = RFC3339.truncated(createdAt)
        self.progress = progress
        self.metrics = JobMetrics()
        self.warnings = warnings
        self.diagnostics = JobDiagnostics()
    }

    /// Moves to `running` and stamps `started_at`.
    public mutating func start(at date: Date = Date()) {
        state = .running
        startedAt = RFC3339.truncated(date)
    }

    /// Moves to a finished state and stamps `finished_at`; `failure` only for `.failed`.
    public mutating func finish(_ state: JobState, at date: Date = Date(), failure: JobFailure? = nil) {
        precondition(state.isFinished, "finish(_:) needs a finished state")
        self.state = state
        self.finishedAt = RFC3339.truncated(date)
        self.error = failure
        progress.etaSeconds = state == .succeeded ? 0 : nil
    }
}

/// A finding on the job: a config lint (`init_activation_mismatch`, ...) when it was accepted, or a training
/// monitor detection (`dead_relu`, ...) while it ran, which also names the layer and iteration.
public struct JobWarning: Equatable, Sendable {
    public var code: String
    public var message: String
    /// The 0-based layer concerned (monitor findings only).
    public var layer: Int?
    /// The iteration whose diagnostics showed it (monitor findings only).
    public var iteration: Int?
    public init(code: String, message: String, layer: Int? = nil, iteration: Int? = nil) {
        self.code = code
        self.message = message
        self.layer = layer
        self.iteration = iteration
    }
}

/// Why a job failed, e.g. `diverged` at iteration 1234.
public struct JobFailure: Equatable, Sendable {
    public var code: String
    public var message: String
    /// The iteration at which it failed; nil when it failed before training.
    public var iteration: Int?
    /// A divergence's layer (0-based dense layer whose gradient or update first went non-finite), when known.
    public var layer: Int?
    /// A divergence's advice: what to change in the config.
    public var hint: String?
    public init(code: String, message: String, iteration: Int? = nil, layer: Int? = nil, hint: String? = nil) {
        self.code = code
        self.message = message
        self.iteration = iteration
        self.layer = layer
        self.hint = hint
    }
}
