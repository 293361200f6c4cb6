// Accepting jobs: a parsed config is checked against what exists (dataset, from_model and its architecture)
// and against a memory budget, stored as a queued job with its lint warnings, and enqueued — all of a
// request's jobs or none (an init comparison must not half-start).
import Engine
import Foundation
import IDX

extension TrainingService {
    /// Checks what JobConfig parsing cannot: the dataset and from_model exist (404 naming the field), from_model's
    /// architecture matches and the job fits in memory (400).
    func validate(_ config: JobConfig) throws {
        guard datasets.exists(config.dataset) else {
            let known = datasets.names()
            throw APIError.referenceNotFound(field: "dataset", "no dataset '\(config.dataset)' in the data directory"
                + (known.isEmpty ? " (none is loaded yet)" : "; available: \(known.joined(separator: ", "))"))
        }
        // MNIST-format sets are 28 × 28; a loaded one says its own size.
        let spec = try config.model.networkSpec(inputs: datasets.loaded(config.dataset)?.train.pixelsPerImage ?? 784)
        if let from = config.model.fromModel {
            guard store.model(from) != nil, let model = try predictors.model(from) else {
                throw APIError.referenceNotFound(field: "model.from_model", "no model with id '\(from)'")
            }
            guard model.matches(spec) else {
                throw APIError.invalidConfig(field: "model.from_model", message:
                    "model '\(from)' is \(model.architectureDescription) but the config asks for \(Model.describe(spec))")
            }
        }
        let bytes = TrainingService.estimatedBytes(spec, batch: config.training.batchSize, optimizer: config.training.optimizer)
        guard bytes <= configuration.maxJobBytes else {
            let layers = config.model.layers != nil
            throw APIError.invalidConfig(field: layers ? "model.layers" : "model.hidden", message: "this network needs about \(bytes >> 20) MB "
                + "(weights, gradients, optimizer state and activations of a \(config.training.batchSize)-sample batch"
                + (layers ? ", conv patches included" : "") + "); the limit is \(configuration.maxJobBytes >> 20) MB: use "
                + (layers ? "fewer filters, more pooling or stride" : "fewer or smaller hidden layers") + ", or a smaller batch_size")
        }
    }

    /// Float32 bytes a trainer holds (NetworkSpec.trainerBytes) with the optimizer's moment buffers.
    static func estimatedBytes(_ spec: NetworkSpec, batch: Int, optimizer: OptimizerKind) -> Int {
        spec.trainerBytes(batch: min(batch, 60_000), moments: optimizer.slots)
    }

    /// A queued job for `config` (not yet stored), named by the config or after its network.
    func makeJob(_ config: JobConfig) throws -> Job {
        let configJSON = try JSONValue(parsing: config.jsonData())
        // The job needs the dataset anyway; loading it now (once, ~1 s) gives the job its exact totals.
        let trainCount: Int
        do {
            trainCount = try datasets.dataset(config.dataset).train.count
        } catch {
            throw APIError.unavailable("the dataset '\(config.dataset)' cannot be loaded: \(error)", retryAfter: 5)
        }
        let total = config.training.totalIterations(trainCount: trainCount)
        let perEpoch = config.training.iterationsPerEpoch(trainCount: trainCount)
        let progress = JobProgress(epochs: (total + perEpoch - 1) / perEpoch, iterations: total)
        var warnings = config.warnings().map { JobWarning(code: $0.code, message: $0.message) }
        // Weights trained on one input scale meet another: training starts far from where the model was.
        let normalize = config.training.normalize
        if let from = config.model.fromModel, let model = try predictors.model(from), model.normalize != normalize {
            warnings.append(JobWarning(code: "from_model_normalize_mismatch", message:
                "model '\(from)' was trained on inputs normalized \"\(model.normalize.rawValue)\" but training.normalize is "
                + "\"\(normalize.rawValue)\", so its weights see inputs on another scale; set training.normalize to "
                + "\"\(model.normalize.rawValue)\" to continue from where it was"))
        }
        var job = Job(id: store.newJobID(), name: config.name ?? Self.defaultName(config), config: configJSON,
                      progress: progress, warnings: warnings)
        job.architecture = (try? config.model.networkSpec(inputs: datasets.loaded(config.dataset)?.train.pixelsPerImage ?? 784))
            .map(\.architectureSummary) ?? .null
        return job
    }

    /// What an unnamed job is called in lists and on the page: its network and how it trains, e.g.
    /// "relu 100-100-100-100, momentum lr 0.05".
    static func defaultName(_ config: JobConfig) -> String {
        if let preset = config.preset {
            return "\(preset), \(config.training.optimizer.rawValue) lr \(config.training.learningRate)"
        }
        if let layers = config.model.layers {
            let summary = layers.map(\.shortName).joined(separator: " ")
            return "\(layers.isEmpty ? "no hidden layer" : summary), \(config.training.optimizer.rawValue) lr \(config.training.learningRate)"
        }
        let hidden = config.model.hidden.isEmpty ? "no hidden layer" : config.model.hidden.map(String.init).joined(separator: "-")
        return "\(config.model.activation.rawValue) \(hidden), \(config.training.optimizer.rawValue) lr \(config.training.learningRate)"
    }

    /// Validates, stores and enqueues every config, or none: 429 when the queue lacks room for all. The jobs
    /// of an experiment name it (`experimentID`), and `prepared` records the experiment once they are stored and
    /// before any is queued, so a crash leaves no queued run its experiment does not list.
    func submit(_ configs: [JobConfig], experimentID: String? = nil, prepared: (([Job]) throws -> Void)? = nil) throws -> [Job] {
        for config in configs { try validate(config) }
        let room = queue.capacity - queue.count
        guard configs.count <= room else {
            throw APIError.queueFull(capacity: queue.capacity, retryAfter: 5, needed: configs.count, room: max(room, 0))
        }
        let jobs = try configs.map { config -> Job in
            var job = try makeJob(config)
            job.experimentID = experimentID
            return job
        }
        var saved: [String] = [], enqueued: [String] = []
        do {
            for job in jobs {
                try store.save(job)
                saved.append(job.id)
            }
            try prepared?(jobs)
            for job in jobs {
                try queue.enqueue(job.id)
                enqueued.append(job.id)
            }
        } catch {
            // A concurrent request took the room: undo this request's jobs.
            // A job a worker has taken already is left to run.
            for id in saved where !enqueued.contains(id) || queue.cancel(id) {
                _ = try? store.deleteJob(id)
            }
            throw error
        }
        return jobs
    }
}
