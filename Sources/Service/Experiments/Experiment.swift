// An experiment: many jobs of one config with some fields varied (a sweep, or the init comparison), the
// parameters each run got, and, with successive halving, what each run measured at each rung and which runs
// were culled there. Persisted as `state/experiments/<id>.json` in the shape `json` gives.
import Foundation

/// One run of an experiment: its job and the config paths it sets.
struct ExperimentRun: Equatable, Sendable {
    let jobID: String
    let params: [String: JSONValue]
}

struct Experiment: Equatable, Sendable {
    let id: String
    let name: String
    /// `sweep` or `init_comparison`.
    let kind: String
    let createdAt: Date
    /// The config every run starts from, as the request gave it.
    let base: JSONValue
    /// The varied config paths, and how they were drawn (`grid` or `random`).
    let paths: [String]
    let search: String
    let sameBatches: Bool
    let runs: [ExperimentRun]
    let scheduler: SuccessiveHalving?
    /// Per rung: job id → the metric it measured there.
    var rungValues: [[String: Double]]
    /// Rungs whose survivors have been chosen (0...scheduler.rungs).
    var decidedRungs = 0
    /// Culled runs: job id → the rung that stopped them.
    var culled: [String: Int] = [:]
    var cancelled = false

    init(id: String, name: String, kind: String, base: JSONValue, paths: [String], search: String, sameBatches: Bool,
         runs: [ExperimentRun], scheduler: SuccessiveHalving?, createdAt: Date = Date()) {
        self.id = id
        self.name = name
        self.kind = kind
        self.createdAt = RFC3339.truncated(createdAt)
        self.base = base
        self.paths = paths
        self.search = search
        self.sameBatches = sameBatches
        self.runs = runs
        self.scheduler = scheduler
        self.rungValues = Array(repeating: [:], count: scheduler?.rungs ?? 0)
    }

    var jobIDs: [String] { runs.map(\.jobID) }

    func contains(_ jobID: String) -> Bool { runs.contains { $0.jobID == jobID } }

    // MARK: - Persistence

    /// The stored record (the API adds the runs' live state, see `TrainingService.experimentJSON`).
    var json: JSONValue {
        [
            "id": .string(id), "name": .string(name), "kind": .string(kind),
            "created_at": .string(RFC3339.format(createdAt)), "base": base,
            "varied": .array(paths.map(JSONValue.string)), "search": .string(search), "same_batches": .bool(sameBatches),
            "runs": .array(runs.map { ["job_id": .string($0.jobID), "params": .object($0.params)] }),
            "scheduler": scheduler?.json ?? .null,
            "rungs": .array(rungValues.map { .object($0.mapValues(JSONValue.double)) }),
            "decided_rungs": .int(decidedRungs),
            "culled": .object(culled.mapValues(JSONValue.int)),
            "cancelled": .bool(cancelled),
        ]
    }

    init(json: JSONValue) throws {
        self = try StoreError.reading { try Experiment(reading: JSONReader(json)) }
    }

    private init(reading r: JSONReader) throws {
        id = try r.string("id")
        name = try r.string("name")
        kind = try r.string("kind")
        createdAt = try r.date("created_at")
        base = try r.value("base")
        paths = try r.array("varied").map { reader in
            guard let path = reader.value.stringValue else { throw reader.failure(nil, "must be a string") }
            return path
        }
        search = try r.string("search")
        sameBatches = try r.value("same_batches").boolValue ?? true
        runs = try r.array("runs").map { run in
            ExperimentRun(jobID: try run.string("job_id"), params: try run.object("params").value.objectValue ?? [:])
        }
        scheduler = try r.optionalObject("scheduler").map { try SuccessiveHalving($0, runs: 0) }
        rungValues = try r.array("rungs").map { rung in
            (rung.value.objectValue ?? [:]).compactMapValues { $0.doubleValue }
        }
        decidedRungs = try r.int("decided_rungs")
        culled = (try r.object("culled").value.objectValue ?? [:]).compactMapValues { $0.intValue }
        cancelled = try r.value("cancelled").boolValue ?? false
    }
}
