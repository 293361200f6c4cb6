// Starting an experiment (its jobs and its record, all or nothing) and showing one: every run with its
// varied params, live state and metrics, the rungs successive halving decided, and the best finished run.
import Engine
import Foundation

extension TrainingService {
    /// Stores the jobs and the experiment that lists them, then queues the jobs; nothing is left of either
    /// when any step fails (429 included).
    func startExperiment(name: String, kind: String, base: JSONValue, paths: [String], search: String, sameBatches: Bool,
                         scheduler: SuccessiveHalving?, configs: [JobConfig], params: [[String: JSONValue]]) throws -> Experiment {
        let id = experiments.newID()
        var recorded: Experiment?
        do {
            _ = try submit(configs, experimentID: id) { jobs in
                let runs = zip(jobs, params).map { ExperimentRun(jobID: $0.id, params: $1) }
                let experiment = Experiment(id: id, name: name, kind: kind, base: base, paths: paths, search: search,
                                            sameBatches: sameBatches, runs: runs, scheduler: scheduler)
                try self.experiments.save(experiment)
                recorded = experiment
            }
        } catch {
            if recorded != nil { _ = try? experiments.delete(id) }
            throw error
        }
        guard let recorded else { throw APIError.internalError("experiment \(id) was not recorded") }
        return recorded
    }

    /// `GET /experiments/{id}`.
    func experimentJSON(_ experiment: Experiment) -> JSONValue {
        let jobs = experiment.runs.map { store.job($0.jobID) }
        var object = experiment.json.objectValue ?? [:]
        object.removeValue(forKey: "runs")
        object.removeValue(forKey: "rungs")
        object.removeValue(forKey: "decided_rungs")
        object.removeValue(forKey: "culled")
        object["state"] = .string(Self.state(of: experiment, jobs: jobs))
        object["jobs"] = .array(zip(experiment.runs, jobs).map { run, job in
            guard let job else {
                return ["id": .string(run.jobID), "params": .object(run.params), "state": "deleted", "name": .null,
                        "metrics": .null, "progress": .null, "model_id": .null, "successive_halving": .null]
            }
            return ["id": .string(job.id), "name": .string(job.name), "params": .object(run.params),
                    "state": .string(job.state.rawValue), "metrics": job.metrics.json, "progress": job.progress.json,
                    "model_id": .optionalString(job.modelID), "successive_halving": job.halving?.json ?? .null]
        })
        object["rungs"] = .array(Self.rungs(of: experiment, jobs: jobs))
        object["best"] = Self.best(of: experiment, jobs: jobs)
        return .object(object)
    }

    /// `running` or `queued` while any run is active (a run waiting at a rung is queued), then `cancelled`
    /// if a client cancelled it, `succeeded` when some run did, else `failed`.
    static func state(of experiment: Experiment, jobs: [Job?]) -> String {
        let present = jobs.compactMap { $0 }
        if present.contains(where: { $0.state == .running }) { return "running" }
        if present.contains(where: { $0.state == .queued }) { return "queued" }
        if experiment.cancelled { return "cancelled" }
        return present.contains(where: { $0.state == .succeeded }) ? "succeeded" : "failed"
    }

    /// The rungs of successive halving: where each stands and what every run measured there.
    static func rungs(of experiment: Experiment, jobs: [Job?]) -> [JSONValue] {
        guard let halving = experiment.scheduler else { return [] }
        return experiment.rungValues.indices.map { rung in
            let values = experiment.rungValues[rung]
            let survivors = experiment.runs.filter { values[$0.jobID] != nil && (experiment.culled[$0.jobID].map { $0 > rung } ?? true) }
            return ["rung": .int(rung), "fraction": .double(halving.fraction(rung: rung)),
                    "decided": .bool(experiment.decidedRungs > rung), "reached": .int(values.count),
                    "went_on": experiment.decidedRungs > rung ? .int(survivors.count) : .null,
                    "values": .object(values.mapValues { abs($0) == .greatestFiniteMagnitude ? .null : .double($0) })]
        }
    }

    /// The best succeeded run by the scheduler's metric, else validation accuracy when the runs hold out a
    /// validation set, else test accuracy (reported, never used to steer the runs); null before any succeeded.
    static func best(of experiment: Experiment, jobs: [Job?]) -> JSONValue {
        let done = zip(experiment.runs, jobs).compactMap { run, job in job?.state == .succeeded ? (run, job!) : nil }
        let metric = experiment.scheduler?.metric
            ?? (done.contains { $0.1.metrics.validationAccuracy != nil } ? "validation_accuracy" : "test_accuracy")
        let lowerIsBetter = metric.hasSuffix("_loss")
        func value(_ job: Job) -> Double? {
            let value: Double?
            switch metric {
            case "validation_loss": value = job.metrics.validationLoss
            case "validation_accuracy": value = job.metrics.validationAccuracy
            default: value = job.metrics.testAccuracy
            }
            return value.flatMap { $0.isFinite ? $0 : nil }
        }
        let ranked = done.compactMap { run, job in value(job).map { (run, job, $0) } }
        guard let best = ranked.enumerated().min(by: { a, b in
            let (x, y) = (a.element.2, b.element.2)
            if x != y { return lowerIsBetter ? x < y : x > y }
            return a.offset < b.offset
        })?.element else { return .null }
        return ["job_id": .string(best.1.id), "metric": .string(metric), "value": .double(best.2),
                "params": .object(best.0.params), "test_accuracy": .number(best.1.metrics.testAccuracy),
                "model_id": .optionalString(best.1.modelID)]
    }
}
