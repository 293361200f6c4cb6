// One job's training loop on a worker thread: a minibatch at a time, checking the cancel token before
// each; one history point per iteration; test-set evaluations at eval points; progress and metrics a few
// times a second; checkpoints every `checkpointInterval` and when the service stops.
import Engine
import Foundation

/// The state of one running job between minibatches.
final class TrainingSession {
    let id: String
    let runner: JobRunner
    let trainer: Trainer
    let history: HistoryLog
    let dataset: String
    let monitor: TrainingMonitor
    var store: JobStore { runner.store }

    /// Loss and accuracy of the last (up to) 100 minibatches, for `train_loss` / `train_accuracy`.
    private var recentLoss: [Double] = []
    private var recentAccuracy: [Double] = []
    private var recentIndex = 0
    /// Samples since the last progress update, and the smoothed throughput.
    private var samplesSinceUpdate = 0
    private var samplesPerSecond: Double?
    private var lastUpdate = TrainingSession.now()
    private var lastFlush = TrainingSession.now()
    private(set) var lastCheckpoint = TrainingSession.now()
    private var lastEvaluated = -1
    /// The last test-set evaluation (carried over from the job record after a restart).
    var testLoss: Double?
    var testAccuracy: Double?

    init(id: String, runner: JobRunner, trainer: Trainer, history: HistoryLog, dataset: String) {
        self.id = id
        self.runner = runner
        self.trainer = trainer
        self.history = history
        self.dataset = dataset
        monitor = TrainingMonitor(config: trainer.config)
        let metrics = runner.store.job(id)?.metrics
        testLoss = metrics?.testLoss
        testAccuracy = metrics?.testAccuracy
    }

    /// Trains until done, cancelled or stopped, then records the outcome.
    func run(_ token: CancelToken) throws {
        while !trainer.isFinished {
            if token.isCancelled { break }
            let result = try trainer.step()
            try history.append([.train(iteration: result.iteration, epoch: result.epoch + 1,
                                       loss: Float(result.loss), accuracy: Float(result.accuracy))])
            remember(result)
            let evaluationPoint = isEvaluationPoint(result.iteration)
            // Diagnostics read the minibatch just trained, so they come before anything else runs the network.
            if evaluationPoint || result.iteration % TrainingSession.diagnosticsEvery == 0 { try diagnose() }
            if evaluationPoint { try evaluate(epoch: result.epoch + 1) }
            let now = TrainingSession.now()
            if now - lastUpdate >= 0.1 { try publishProgress(now: now) }
            if now - lastFlush >= 1 {
                try history.flush()
                lastFlush = now
            }
            if now - lastCheckpoint >= runner.checkpointInterval { try checkpoint() }
        }
        if trainer.isFinished {
            try succeed()
        } else if token.reason == .shutdown {
            // The job stays `running` on disk; the next start resumes it from this checkpoint.
            try publishProgress(now: TrainingSession.now())
            try checkpoint()
        } else {
            try cancel()
        }
    }

    // MARK: - Steps

    private func remember(_ result: StepResult) {
        if recentLoss.count < 100 {
            recentLoss.append(result.loss)
            recentAccuracy.append(result.accuracy)
        } else {
            recentLoss[recentIndex] = result.loss
            recentAccuracy[recentIndex] = result.accuracy
            recentIndex = (recentIndex + 1) % 100
        }
        samplesSinceUpdate += result.samples
    }

    /// `eval_every` iterations, or the end of each epoch when it is 0, and always the last iteration.
    private func isEvaluationPoint(_ iteration: Int) -> Bool {
        let every = trainer.config.training.evalEvery
        if iteration == trainer.totalIterations { return true }
        return every > 0 ? iteration % every == 0 : iteration % trainer.iterationsPerEpoch == 0
    }

    /// Test loss and accuracy now: a history point and the job's metrics.
    func evaluate(epoch: Int) throws {
        guard lastEvaluated != trainer.iteration else { return }
        let evaluation = trainer.evaluateTest()
        lastEvaluated = trainer.iteration
        testLoss = evaluation.loss
        testAccuracy = evaluation.accuracy
        try history.append([.eval(iteration: trainer.iteration, epoch: epoch,
                                  loss: Float(evaluation.loss), accuracy: Float(evaluation.accuracy))])
        try publishProgress(now: TrainingSession.now())
    }

    /// Copies progress and metrics into the job record (in memory; checkpoints persist it).
    func publishProgress(now: Double) throws {
        let elapsed = now - lastUpdate
        if elapsed > 0 && samplesSinceUpdate > 0 {
            let rate = Double(samplesSinceUpdate) / elapsed
            samplesPerSecond = samplesPerSecond.map { 0.7 * $0 + 0.3 * rate } ?? rate
        }
        runner.metrics.addSamplesTrained(samplesSinceUpdate)
        samplesSinceUpdate = 0
        lastUpdate = now
        let metrics = currentMetrics
        let (iteration, perEpoch, batch) = (trainer.iteration, trainer.iterationsPerEpoch, trainer.config.training.batchSize)
        let rate = samplesPerSecond
        try store.update(id, persist: false) { job in
            job.progress.advance(iteration: iteration, epoch: min(job.progress.epochs, (iteration + perEpoch - 1) / perEpoch),
                                 samplesPerSecond: rate ?? 0, batchSize: batch)
            if rate == nil { job.progress.samplesPerSecond = nil }
            job.metrics = metrics
        }
    }

    /// Mean training loss of the last (up to) 100 minibatches.
    var recentMeanLoss: Double? {
        recentLoss.isEmpty ? nil : recentLoss.reduce(0, +) / Double(recentLoss.count)
    }

    var currentMetrics: JobMetrics {
        let count = Double(max(recentLoss.count, 1))
        return JobMetrics(trainLoss: recentLoss.isEmpty ? nil : recentLoss.reduce(0, +) / count,
                          trainAccuracy: recentAccuracy.isEmpty ? nil : recentAccuracy.reduce(0, +) / count,
                          testLoss: testLoss, testAccuracy: testAccuracy)
    }

    /// The 1-based epoch the last completed iteration belongs to.
    var currentEpoch: Int {
        max(1, (trainer.iteration + trainer.iterationsPerEpoch - 1) / trainer.iterationsPerEpoch)
    }

    func markCheckpointed() { lastCheckpoint = TrainingSession.now() }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
