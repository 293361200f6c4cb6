// What a sweep varies: a grid (every combination of listed values) or a seeded random search over
// distributions, turned into one parameter set per run. Paths are config fields ("training.learning_rate");
// whether a value suits its field is the job config's own check, made later on the whole config.
import Engine
import Foundation

/// The runs of a sweep: for each, the config paths it sets and their values.
struct SweepSpace {
    /// Most runs one sweep may start (the queue's room is checked too).
    static let maxRuns = 256

    /// The varied paths, sorted.
    let paths: [String]
    /// One entry per run, in run order: path → value.
    let runs: [[String: JSONValue]]

    /// `grid`: path → non-empty array of values; runs in lexicographic order of the sorted paths, the last
    /// path changing fastest.
    static func grid(_ reader: JSONReader) throws -> SweepSpace {
        let paths = reader.keys
        guard !paths.isEmpty else { throw reader.failure(nil, "must name at least one config path") }
        var runs: [[String: JSONValue]] = [[:]]
        for path in paths {
            try checkPath(path, reader)
            guard let values = reader.value[path]?.arrayValue, !values.isEmpty else {
                throw reader.failure(path, "must be a non-empty array of values")
            }
            if let repeated = values.indices.first(where: { values[..<$0].contains(values[$0]) }) {
                throw reader.failure(path, "repeats \(values[repeated].text) (item \(repeated))")
            }
            guard runs.count * values.count <= maxRuns else {
                throw reader.failure(path, "makes more than \(maxRuns) combinations; a sweep starts at most \(maxRuns) runs")
            }
            runs = runs.flatMap { run in values.map { value in run.merging([path: value]) { $1 } } }
        }
        return SweepSpace(paths: paths, runs: runs)
    }

    /// `random`: `{"count": N, "seed": S, "space": {path: {"log_uniform" | "uniform" | "int_uniform": [low, high]}
    /// | {"choice": [values]}}}`. The same seed draws the same runs.
    static func random(_ reader: JSONReader) throws -> SweepSpace {
        try reader.rejectUnknown(["count", "seed", "space"])
        guard let count = try reader.optionalInt("count", in: 1...maxRuns) else { throw reader.failure("count", "is missing") }
        let seed = try reader.optionalInt("seed", in: 0...9_007_199_254_740_991) ?? 0
        let space = try reader.object("space")
        let paths = space.keys
        guard !paths.isEmpty else { throw space.failure(nil, "must name at least one config path") }
        let distributions = try paths.map { path -> Distribution in
            try checkPath(path, space)
            return try Distribution(try space.object(path))
        }
        var random = SeededRandom(seed: UInt64(seed), stream: 5)
        let runs = (0..<count).map { _ in
            Dictionary(uniqueKeysWithValues: zip(paths, distributions.map { $0.draw(&random) }))
        }
        return SweepSpace(paths: paths, runs: runs)
    }

    /// A path must be a config field (not a whole section, not `preset`, which would replace the base).
    static func checkPath(_ path: String, _ reader: JSONReader) throws {
        guard path != "preset", JobConfig.field(path) != nil else {
            let known = JobConfig.fields.map(\.path).filter { $0 != "preset" }
            throw reader.failure(path, "is not a config field; a sweep varies one of \(known.joined(separator: ", "))")
        }
    }

    /// One random-search dimension.
    enum Distribution {
        case uniform(Double, Double)
        case logUniform(Double, Double)
        case intUniform(Int, Int)
        case choice([JSONValue])

        init(_ reader: JSONReader) throws {
            let kinds = ["uniform", "log_uniform", "int_uniform", "choice"]
            guard reader.keys.count == 1, let kind = reader.keys.first, kinds.contains(kind) else {
                throw reader.failure(nil, "must be one of {\"uniform\": [low, high]}, {\"log_uniform\": [low, high]}, "
                    + "{\"int_uniform\": [low, high]}, {\"choice\": [values]}")
            }
            if kind == "choice" {
                guard let values = reader.value[kind]?.arrayValue, !values.isEmpty else {
                    throw reader.failure(kind, "must be a non-empty array of values")
                }
                self = .choice(values)
                return
            }
            guard let pair = reader.value[kind]?.arrayValue, pair.count == 2,
                  let low = pair[0].doubleValue, let high = pair[1].doubleValue, low.isFinite, high.isFinite, low <= high else {
                throw reader.failure(kind, "must be [low, high], two finite numbers with low <= high")
            }
            switch kind {
            case "uniform": self = .uniform(low, high)
            case "log_uniform":
                guard low > 0 else { throw reader.failure(kind, "needs low > 0 (it draws the logarithm uniformly)") }
                self = .logUniform(low, high)
            default:
                guard let lowInt = pair[0].intValue, let highInt = pair[1].intValue else {
                    throw reader.failure(kind, "must be [low, high], two integers")
                }
                self = .intUniform(lowInt, highInt)
            }
        }

        func draw(_ random: inout SeededRandom) -> JSONValue {
            switch self {
            case let .uniform(low, high): return .double(random.nextUniform(low, high))
            case let .logUniform(low, high): return .double(Foundation.exp(random.nextUniform(Foundation.log(low), Foundation.log(high))))
            case let .intUniform(low, high): return .int(low + random.nextIndex(below: high - low + 1))
            case let .choice(values): return values[random.nextIndex(below: values.count)]
            }
        }
    }
}
