// The body of `POST /experiments/sweep`: a name, the base job config, what to vary (a grid or a random
// search), whether every run sees the same batches, and an optional successive-halving scheduler. Each run's
// config is the base with its parameters set, checked by the job config's own rules, so a bad path or value is
// a 400 naming the path (and the run, when only some runs fail).
import Engine
import Foundation

struct SweepRequest {
    let name: String
    /// The base job config as given (it may name a preset).
    let base: [String: JSONValue]
    let space: SweepSpace
    /// `grid` or `random`.
    let search: String
    let sameBatches: Bool
    let scheduler: SuccessiveHalving?
    /// One parsed config per run, in run order.
    let configs: [JobConfig]

    static let keys: Set<String> = ["name", "base", "grid", "random", "same_batches", "scheduler"]

    init(_ body: JSONReader) throws {
        try body.rejectUnknown(Self.keys)
        name = try body.optionalString("name") ?? "sweep"
        guard (1...200).contains(name.count) else { throw body.failure("name", "must be 1...200 characters") }
        base = try body.optionalObject("base")?.value.objectValue ?? [:]
        let baseConfig = try JobConfig(json: JSONValue.object(base).tree)
        let space: SweepSpace
        switch (try body.optionalObject("grid"), try body.optionalObject("random")) {
        case (let grid?, nil):
            space = try SweepSpace.grid(grid)
            search = "grid"
        case (nil, let random?):
            space = try SweepSpace.random(random)
            search = "random"
        default:
            throw APIError.invalidRequest("give one of grid (path → values) or random ({count, seed, space})", field: "grid")
        }
        let sameBatches = try body.member("same_batches").map { value -> Bool in
            guard let flag = value.boolValue else { throw body.failure("same_batches", "must be a boolean") }
            return flag
        } ?? true
        if sameBatches && space.paths.contains("training.seed") {
            throw body.failure("same_batches", "is true, so every run keeps the base's training.seed, which the sweep varies: "
                + "set same_batches to false to vary the seed")
        }
        self.sameBatches = sameBatches
        self.space = space
        let base = base
        let scheduler = try body.optionalObject("scheduler").map { try SuccessiveHalving($0, runs: space.runs.count) }
        self.scheduler = scheduler
        let sweepName = name
        let configs = try space.runs.indices.map { index in
            var config = try Self.config(base: base, params: space.runs[index], run: index, count: space.runs.count,
                                         seed: sameBatches ? nil : baseConfig.training.seed + UInt64(index))
            config.name = Self.runName(config.name ?? sweepName, params: space.runs[index])
            return config
        }
        self.configs = configs
        if let scheduler, let index = configs.firstIndex(where: { $0.training.validationSplit <= 0 }) {
            throw APIError.invalidConfig(field: "scheduler.metric", message: "successive halving compares runs by "
                + "\(scheduler.metric), which needs training.validation_split > 0 (run \(index) has none); the test set "
                + "is never used for a decision")
        }
    }

    /// "lr sweep · init=he, learning_rate=0.02": the run's varied fields by their last name, cut to the
    /// longest name a config takes.
    static func runName(_ name: String, params: [String: JSONValue]) -> String {
        let varied = params.sorted { $0.key < $1.key }.map { path, value in
            "\(path.split(separator: ".").last ?? Substring(path))=\(value.stringValue ?? value.text)"
        }.joined(separator: ", ")
        return String("\(name) · \(varied)".prefix(JobConfig.nameMaxLength))
    }

    /// The base with `params` set (a path is `section.key` or a top-level key), and the seed when each run gets
    /// its own; a config error names the path, and the run when there are several.
    static func config(base: [String: JSONValue], params: [String: JSONValue], run: Int, count: Int,
                       seed: UInt64?) throws -> JobConfig {
        var body = base
        var all = params
        if let seed, params["training.seed"] == nil { all["training.seed"] = .int(Int(seed)) }
        for (path, value) in all {
            let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                body[path] = value
                continue
            }
            var section = body[parts[0]]?.objectValue ?? [:]
            section[parts[1]] = value
            body[parts[0]] = .object(section)
        }
        do {
            return try JobConfig(json: JSONValue.object(body).tree)
        } catch let error as ConfigError {
            let varied = params.keys.sorted().map { "\($0) = \(params[$0]!.text)" }.joined(separator: ", ")
            throw APIError.invalidConfig(field: error.field, message: error.message
                + (count > 1 && params[error.field] != nil ? " (run \(run): \(varied))" : ""))
        }
    }
}
