// How a job's training leaves durable traces: checkpoints (history synced, then the engine's checkpoint,
// then the job record — the order JobStore's kill tests rely on), and the endings: succeeded (model
// saved first, then the job names it), cancelled, stopped for shutdown (state stays running on disk), or
// paused at a successive-halving rung (queued again).
import Engine
import Foundation

extension JobRecorder {
    /// Makes the job resumable from this iteration after a crash or a stop.
    func checkpoint(_ checkpoint: Checkpoint) throws {
        try history.sync()
        try store.saveCheckpoint(try CheckpointCoding.encode(checkpoint), for: id)
        try store.persistJob(id)
    }

    func finished(_ ending: TrainingEnding, metrics: JobMetrics) throws {
        switch ending {
        case .succeeded(let model): try succeed(model, metrics: metrics)
        case .cancelled: try cancel()
        case .stopped: break  // the job stays `running` on disk; the next start resumes it from its checkpoint
        case .paused: try pause(metrics: metrics)
        }
    }

    /// Paused at a rung (its checkpoint just written): `queued` again, out of the queue until the rung is decided.
    private func pause(metrics: JobMetrics) throws {
        try history.sync()
        try store.update(id) { job in
            job.metrics = metrics
            if job.state == .running { job.state = .queued }
        }
    }

    /// Model saved, job `succeeded` with `model_id`.
    private func succeed(_ model: Model, metrics: JobMetrics) throws {
        guard let job = store.job(id) else { return }  // deleted meanwhile: nothing to record
        let record = ModelRecord(id: store.newModelID(), name: job.name.isEmpty ? job.id : job.name, jobID: id,
                                 dataset: dataset, architecture: ModelRecord.architecture(of: model), metrics: metrics)
        try store.saveModel(record, model: model)
        try history.sync()
        try store.update(id) { job in
            job.metrics = metrics
            job.modelID = record.id
            job.finish(.succeeded)
        }
        try store.removeCheckpoint(for: id)
    }

    /// The client cancelled: the job ends `cancelled` where it stood.
    private func cancel() throws {
        try history.sync()
        try store.update(id) { $0.finish(.cancelled) }
        try store.removeCheckpoint(for: id)
    }
}
