// The one training loop, run by a service job on a worker thread and by `mnistd train` in the foreground:
// a minibatch at a time, checking the cancel token before each; validation and test-set evaluations at eval
// points (early stopping judges the validation one), diagnostics every 50 iterations, progress a few times a
// second, checkpoints every `checkpointInterval`. A run that ends on its best weights is evaluated once more
// on them, so the job's final metrics are its model's.
import Engine
import Foundation

/// Trains one run to its end and tells a `TrainingReporter` everything on the way.
public final class TrainingLoop {
    /// Diagnostics are taken this often (iterations), and at every evaluation point.
    public static let diagnosticsEvery = 50

    public let trainer: Trainer
    public let monitor: TrainingMonitor
    public let checkpointInterval: TimeInterval
    /// Loss and accuracy of the last (up to) 100 minibatches.
    private var recent = RecentMinibatches(capacity: 100)
    private var lastStep: StepResult?
    /// Samples since the last progress report, and the smoothed throughput.
    private var samplesSinceUpdate = 0
    private var samplesPerSecond: Double?
    private var lastUpdate = TrainingLoop.now()
    private var lastFlush = TrainingLoop.now()
    private var lastCheckpoint = TrainingLoop.now()
    private var lastEvaluated = -1
    /// The last test-set evaluation (a resumed job carries its recorded one over).
    public private(set) var testLoss: Double?
    public private(set) var testAccuracy: Double?
    public private(set) var validationLoss: Double?
    public private(set) var validationAccuracy: Double?
    /// The iteration whose weights the run ended on, when it ended on its best evaluation's.
    public private(set) var keptIteration: Int?
    /// Pause here (evaluated and checkpointed) instead of training on: a successive-halving rung.
    public var pauseAt: Int?

    /// `resumed`: the metrics recorded before a restart, if any (their test and validation values carry over).
    public init(trainer: Trainer, checkpointInterval: TimeInterval = .infinity, resumed: JobMetrics? = nil) {
        self.trainer = trainer
        self.checkpointInterval = checkpointInterval
        testLoss = resumed?.testLoss
        testAccuracy = resumed?.testAccuracy
        validationLoss = resumed?.validationLoss
        validationAccuracy = resumed?.validationAccuracy
        monitor = TrainingMonitor(config: trainer.config)
    }

    /// Trains until done or `token` says stop, reports the ending, and returns it. A step's error (divergence)
    /// and a reporter's error end the run by propagating, with no ending reported.
    @discardableResult
    public func run(_ token: CancelToken, reporting reporter: TrainingReporter) throws -> TrainingEnding {
        while !trainer.isFinished {
            if token.isCancelled || reachedPause { break }
            let result = try trainer.step()
            try reporter.trained(result)
            recent.append(loss: result.loss, accuracy: result.accuracy)
            lastStep = result
            samplesSinceUpdate += result.samples
            let evaluationPoint = isEvaluationPoint(result.iteration)
            // Diagnostics read the minibatch just trained, so they come before anything else runs the network.
            if evaluationPoint || result.iteration % TrainingLoop.diagnosticsEvery == 0 { try diagnose(reporter) }
            if evaluationPoint { try evaluate(epoch: result.epoch + 1, reporter) }
            let now = TrainingLoop.now()
            if now - lastUpdate >= 0.1 { try progress(now: now, reporter) }
            if now - lastFlush >= 1 {
                try reporter.flush()
                lastFlush = now
            }
            if now - lastCheckpoint >= checkpointInterval { try checkpoint(reporter) }
        }
        if trainer.isFinished {
            try evaluate(epoch: currentEpoch, reporter)
            try endOnBestWeights()
        }
        try progress(now: TrainingLoop.now(), reporter)
        let ending: TrainingEnding
        if trainer.isFinished {
            ending = .succeeded(trainer.model())
        } else if reachedPause && !token.isCancelled {
            // The rung's judgement reads this evaluation's validation metrics.
            try evaluate(epoch: currentEpoch, reporter)
            try checkpoint(reporter)
            ending = .paused
        } else if token.reason == .shutdown {
            try checkpoint(reporter)  // the next start resumes from here
            ending = .stopped
        } else {
            ending = .cancelled
        }
        try reporter.finished(ending, metrics: metrics)
        return ending
    }

    private var reachedPause: Bool { pauseAt.map { trainer.iteration >= $0 } ?? false }

    /// Mean training loss of the last (up to) 100 minibatches; nil before the first.
    public var recentMeanLoss: Double? { recent.meanLoss }

    /// Train values over the last minibatches, test and validation values from the last evaluation.
    public var metrics: JobMetrics {
        JobMetrics(trainLoss: recent.meanLoss, trainAccuracy: recent.meanAccuracy, testLoss: testLoss, testAccuracy: testAccuracy,
                   validationLoss: validationLoss, validationAccuracy: validationAccuracy,
                   learningRate: lastStep?.learningRate ?? trainer.learningRate)
    }

    /// The 1-based epoch the last completed iteration belongs to.
    public var currentEpoch: Int {
        max(1, (trainer.iteration + trainer.iterationsPerEpoch - 1) / trainer.iterationsPerEpoch)
    }

    // MARK: - Steps

    /// `eval_every` iterations, or the end of each epoch when it is 0, and always the last iteration.
    private func isEvaluationPoint(_ iteration: Int) -> Bool {
        let every = trainer.config.training.evalEvery
        if iteration == trainer.totalIterations { return true }
        return every > 0 ? iteration % every == 0 : iteration % trainer.iterationsPerEpoch == 0
    }

    private func diagnose(_ reporter: TrainingReporter) throws {
        let layers = trainer.diagnostics()
        guard !layers.isEmpty else { return }
        let found = monitor.observe(iteration: trainer.iteration, layers: layers, recentLoss: recent.meanLoss)
        try reporter.diagnosed(layers, found: found)
    }

    /// Validation (with early stopping's verdict) and test loss and accuracy now, once per iteration, then a
    /// progress report.
    private func evaluate(epoch: Int, _ reporter: TrainingReporter) throws {
        guard lastEvaluated != trainer.iteration else { return }
        lastEvaluated = trainer.iteration
        if let validation = trainer.evaluateValidation() {
            validationLoss = validation.loss
            validationAccuracy = validation.accuracy
            trainer.observeValidation(validation)
            try reporter.validated(validation, iteration: trainer.iteration, epoch: epoch)
        }
        let evaluation = trainer.evaluateTest()
        testLoss = evaluation.loss
        testAccuracy = evaluation.accuracy
        try reporter.evaluated(evaluation, iteration: trainer.iteration, epoch: epoch)
        try progress(now: TrainingLoop.now(), reporter)
    }

    /// With early stopping's restore_best: the best evaluation's weights back, and the final metrics theirs
    /// (not added to the history, whose points stay what each iteration measured).
    private func endOnBestWeights() throws {
        guard trainer.config.training.earlyStopping?.restoreBest == true else { return }
        guard let kept = trainer.restoreBestWeights() else {
            keptIteration = trainer.bestValidation?.iteration
            return
        }
        keptIteration = kept
        if let validation = trainer.evaluateValidation() {
            validationLoss = validation.loss
            validationAccuracy = validation.accuracy
        }
        let test = trainer.evaluateTest()
        testLoss = test.loss
        testAccuracy = test.accuracy
    }

    private func progress(now: Double, _ reporter: TrainingReporter) throws {
        let elapsed = now - lastUpdate
        if elapsed > 0 && samplesSinceUpdate > 0 {
            let rate = Double(samplesSinceUpdate) / elapsed
            samplesPerSecond = samplesPerSecond.map { 0.7 * $0 + 0.3 * rate } ?? rate
        }
        let report = TrainingProgress(iteration: trainer.iteration, epoch: trainer.iteration == 0 ? 0 : currentEpoch,
                                      iterations: trainer.totalIterations, iterationsPerEpoch: trainer.iterationsPerEpoch,
                                      batchSize: trainer.config.training.batchSize, samples: samplesSinceUpdate,
                                      samplesPerSecond: samplesPerSecond, metrics: metrics, lastStep: lastStep,
                                      earlyStopping: JobEarlyStopping(trainer, kept: keptIteration))
        samplesSinceUpdate = 0
        lastUpdate = now
        try reporter.progressed(report)
    }

    private func checkpoint(_ reporter: TrainingReporter) throws {
        try reporter.checkpoint(trainer.checkpoint())
        lastCheckpoint = TrainingLoop.now()
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
