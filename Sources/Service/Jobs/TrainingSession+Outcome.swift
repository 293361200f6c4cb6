// How a training session leaves durable traces: checkpoints (history synced, then the engine's checkpoint,
// then the job record — the order JobStore's kill tests rely on), and the three endings: succeeded (model
// saved first, then the job names it), cancelled, or stopped for shutdown (a checkpoint, state stays running).
import Engine
import Foundation

extension TrainingSession {
    /// Makes the job resumable from this iteration after a crash or a stop.
    func checkpoint() throws {
        try history.sync()
        try store.saveCheckpoint(try CheckpointCoding.encode(trainer.checkpoint()), for: id)
        try store.persistJob(id)
        markCheckpointed()
    }

    /// Final evaluation, model saved, job `succeeded` with `model_id`.
    func succeed() throws {
        try evaluate(epoch: currentEpoch)
        try publishProgress(now: TrainingSession.now())
        let model = trainer.model()
        let metrics = currentMetrics
        guard let job = store.job(id) else { return }  // deleted meanwhile: nothing to record
        let record = ModelRecord(id: store.newModelID(), name: job.name.isEmpty ? job.id : job.name, jobID: id,
                                 dataset: dataset, architecture: ModelRecord.architecture(of: model), metrics: metrics)
        try store.saveModel(record, export: model.jsonData())
        try history.sync()
        try store.update(id) { job in
            job.metrics = metrics
            job.modelID = record.id
            job.finish(.succeeded)
        }
        try store.removeCheckpoint(for: id)
    }

    /// The client cancelled: the job ends `cancelled` where it stood.
    func cancel() throws {
        try publishProgress(now: TrainingSession.now())
        try history.sync()
        try store.update(id) { $0.finish(.cancelled) }
        try store.removeCheckpoint(for: id)
    }
}

extension ModelRecord {
    /// `{"layers": [784, 100, ..., 10], "activation", "output", "normalize", "parameters"}` of a model.
    static func architecture(of model: Model) -> JSONValue {
        let widths = [model.inputs] + model.hidden + [model.outputs]
        let parameters = model.layers.reduce(0) { $0 + $1.bias.count * (($1.weights.first?.count ?? 0) + 1) }
        var summary: [String: JSONValue] = [
            "layers": .array(widths.map(JSONValue.int)),
            "activation": .string(model.hiddenActivation.name),
            "output": .string(model.output.rawValue),
            "normalize": .string(model.normalize.rawValue),
            "parameters": .int(parameters),
        ]
        if case .leakyRelu(let slope) = model.hiddenActivation, model.layers.count > 1 { summary["leaky_slope"] = .double(slope) }
        return .object(summary)
    }
}
