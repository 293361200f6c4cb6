// The WorkerPool's run closure: turns a stored job into a Trainer (dataset images normalised as the config
// asks, from_model weights, the last checkpoint after a restart), runs it through the training loop with a
// JobRecorder as its reporter, and records any failure (divergence, missing data) on the job.
import Engine
import Foundation
import IDX

extension JobFailure: Error {}

/// Runs jobs to their end on worker threads.
final class JobRunner: @unchecked Sendable {
    let store: JobStore
    let datasets: DatasetRegistry
    let metrics: Metrics
    let checkpointInterval: TimeInterval
    let log: @Sendable (String) -> Void
    /// Successive halving's rungs, for jobs of a sweep that uses it.
    let experiments: ExperimentCoordinator?

    init(store: JobStore, datasets: DatasetRegistry, metrics: Metrics, checkpointInterval: TimeInterval,
         experiments: ExperimentCoordinator? = nil, log: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.experiments = experiments
        self.datasets = datasets
        self.metrics = metrics
        self.checkpointInterval = checkpointInterval
        self.log = log
    }

    /// Runs job `id` until it finishes, fails, is cancelled or the service stops (`token`).
    func run(_ id: String, _ token: CancelToken) {
        guard let job = store.job(id), !job.state.isFinished else { return }
        let gate = experiments?.gate(job) ?? .train(pauseAt: nil)
        // A run waiting at a rung stays out of the queue until the rung is decided; a culled one is ended there.
        guard case .train(let pauseAt) = gate else { return }
        do {
            let (loop, recorder) = try prepare(job)
            loop.pauseAt = pauseAt
            if case .paused = try loop.run(token, reporting: recorder) {
                experiments?.paused(id, iteration: loop.trainer.iteration, metrics: loop.metrics)
            }
        } catch let failure as JobFailure {
            fail(id, failure)
        } catch let error as TrainingError {
            if case let .diverged(iteration, layer, hint) = error {
                fail(id, JobFailure(code: "diverged", message: error.description, iteration: iteration,
                                    layer: layer, hint: hint))
            } else {
                fail(id, JobFailure(code: "training_error", message: error.description))
            }
        } catch {
            log("job \(id): \(error)")
            fail(id, JobFailure(code: "internal_error", message: "\(error)"))
        }
    }

    /// Builds the trainer (restored from the checkpoint if there is one) and its loop, and marks the job running.
    func prepare(_ job: Job) throws -> (TrainingLoop, JobRecorder) {
        let config: JobConfig
        do {
            config = try JobConfig(json: job.config.tree)
        } catch {
            throw JobFailure(code: "invalid_config", message: "the stored config no longer parses: \(error)")
        }
        let dataset: Dataset, images: DatasetRegistry.Images
        do {
            dataset = try datasets.dataset(config.dataset)
            images = try datasets.images(config.dataset, config.normalization)
        } catch {
            throw JobFailure(code: "dataset_unavailable", message: "dataset '\(config.dataset)' cannot be loaded: \(error)")
        }
        var initialModel: Model?
        if let from = config.model.fromModel {
            guard let model = try store.storedModel(from) else {
                throw JobFailure(code: "model_unavailable", message: "model.from_model '\(from)' no longer exists")
            }
            initialModel = model
        }
        let trainer = try Trainer(config: config, dataset: dataset, testImages: images.test, initialModel: initialModel)
        var resumedFrom: Int?
        if let data = try store.checkpoint(for: job.id) {
            do {
                let checkpoint = try CheckpointCoding.decode(data)
                try trainer.restore(checkpoint)
                resumedFrom = checkpoint.iteration
            } catch {
                log("job \(job.id): checkpoint unusable, training from the start: \(error)")
            }
        }
        guard let history = store.history(job.id) else { throw JobFailure(code: "not_found", message: "the job was deleted") }
        let perEpoch = trainer.iterationsPerEpoch
        let total = trainer.totalIterations
        // A job that had started before (the service stopped or was killed) resumes or says it restarted.
        let wasStarted = job.startedAt != nil
        try store.update(job.id) { job in
            if job.startedAt == nil { job.start() } else { job.state = .running }
            job.progress.iterations = total
            job.progress.epochs = (total + perEpoch - 1) / perEpoch
            job.progress.iteration = trainer.iteration
            job.progress.epoch = min(job.progress.epochs, (trainer.iteration + perEpoch - 1) / perEpoch)
            if let resumedFrom {
                job.resumedFromIteration = resumedFrom
            } else if wasStarted {
                job.resumedFromIteration = nil
                job.warnings.append(JobWarning(code: "restarted", message:
                    "the service stopped before this job's first checkpoint: training restarted from iteration 0"))
            }
        }
        let loop = TrainingLoop(trainer: trainer, checkpointInterval: checkpointInterval, resumed: job.metrics)
        return (loop, JobRecorder(id: job.id, runner: self, history: history, dataset: config.dataset))
    }

    /// Ends the job `failed` with `failure`; its checkpoint is dropped, its history kept.
    func fail(_ id: String, _ failure: JobFailure) {
        try? store.history(id)?.sync()
        do {
            try store.update(id) { job in
                if job.startedAt == nil { job.start() }
                job.finish(.failed, failure: failure)
            }
            try store.removeCheckpoint(for: id)
        } catch {
            log("job \(id): cannot record its failure (\(failure.code)): \(error)")
        }
    }
}
