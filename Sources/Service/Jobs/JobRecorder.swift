// A service job's TrainingReporter: the training loop's steps become history points, its evaluations eval
// points and the job's test metrics, its progress the job's `progress` and `metrics` (in memory; checkpoints
// persist the record), and every second the history is flushed.
import Engine
import Foundation

/// Records one running job's training in the job store.
final class JobRecorder: TrainingReporter {
    let id: String
    let runner: JobRunner
    let history: HistoryLog
    let dataset: String
    var store: JobStore { runner.store }

    init(id: String, runner: JobRunner, history: HistoryLog, dataset: String) {
        self.id = id
        self.runner = runner
        self.history = history
        self.dataset = dataset
    }

    func trained(_ step: StepResult) throws {
        try history.append([.train(iteration: step.iteration, epoch: step.epoch + 1,
                                   loss: Float(step.loss), accuracy: Float(step.accuracy))])
    }

    func evaluated(_ evaluation: Evaluation, iteration: Int, epoch: Int) throws {
        try history.append([.eval(iteration: iteration, epoch: epoch,
                                  loss: Float(evaluation.loss), accuracy: Float(evaluation.accuracy))])
    }

    func validated(_ evaluation: Evaluation, iteration: Int, epoch: Int) throws {
        try history.append([.validation(iteration: iteration, epoch: epoch,
                                        loss: Float(evaluation.loss), accuracy: Float(evaluation.accuracy))])
    }

    /// Copies progress and metrics into the job record.
    func progressed(_ progress: TrainingProgress) throws {
        runner.metrics.addSamplesTrained(progress.samples)
        let (iteration, perEpoch, batch, rate) = (progress.iteration, progress.iterationsPerEpoch, progress.batchSize,
                                                  progress.samplesPerSecond)
        let metrics = progress.metrics
        try store.update(id, persist: false) { job in
            job.progress.advance(iteration: iteration, epoch: min(job.progress.epochs, (iteration + perEpoch - 1) / perEpoch),
                                 samplesPerSecond: rate ?? 0, batchSize: batch)
            if rate == nil { job.progress.samplesPerSecond = nil }
            job.metrics = metrics
            job.earlyStopping = progress.earlyStopping
        }
    }

    func flush() throws { try history.flush() }
}
