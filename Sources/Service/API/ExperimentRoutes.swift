// POST /gradcheck (backprop against central differences, size-capped) and POST /experiments/init-comparison
// (one job per init on identical batches: same seed and config except model.init).
import Engine
import Foundation
import HTTP

extension TrainingService {
    /// Gradient checks run in the request, so they are capped: this many hidden layers of this many units, and
    /// this many samples. Each cap is one a JSON schema can state, and together they bound the work: samples ×
    /// parameters ≤ 8 × 151,306 (784-128-128-128-128-10), about 0.6 s at ~2.5 G multiply-adds per second in
    /// double. The default (4 × 100 units, 8 samples) is inside; more samples would check nothing more.
    static let gradcheckLimits = (layers: 4, units: 128, samples: 8)

    /// A `model.layers` check is bounded by its work instead (no schema can state a conv stack's cost): two
    /// forward passes per checked coordinate (32 per tensor) over the samples, at most what the largest dense
    /// check costs.
    static let gradcheckWork = 8 * 151_306 * 2 * 32 * 10

    func registerExperimentRoutes() {
        routes.add(.post, "/gradcheck") { request in
            let body = try RequestBody.object(request, emptyIsObject: true)
            try body.rejectUnknown(["model", "samples", "seed"])
            let model = try JobConfig(json: JSONValue.object(["model": try body.optionalObject("model")?.value ?? [:]]).tree).model
            let limits = TrainingService.gradcheckLimits
            let samples = try body.optionalInt("samples", in: 1...limits.samples) ?? 8
            let seed = try body.optionalInt("seed", in: 0...9_007_199_254_740_991) ?? 0
            if model.layers != nil {
                let spec = try model.networkSpec()
                let work = samples * spec.forwardMultiplyAdds * 2 * 32 * spec.parameterTensorCount
                guard work <= TrainingService.gradcheckWork else {
                    throw APIError.invalidConfig(field: "model.layers", message: "gradcheck runs in the request and this check "
                        + "needs about \(work / 1_000_000) M multiply-adds (\(samples) samples × \(spec.forwardMultiplyAdds) per "
                        + "forward pass × 64 passes per tensor × \(spec.parameterTensorCount) tensors); the limit is "
                        + "\(TrainingService.gradcheckWork / 1_000_000) M: use fewer samples, filters or units")
                }
            } else {
                guard model.hidden.count <= limits.layers else {
                    throw APIError.invalidConfig(field: "model.hidden", message: "gradcheck allows at most \(limits.layers) hidden layers, got \(model.hidden.count)")
                }
                if let index = model.hidden.firstIndex(where: { $0 > limits.units }) {
                    throw APIError.invalidConfig(field: "model.hidden[\(index)]", message: "gradcheck allows at most \(limits.units) units per layer, got \(model.hidden[index])")
                }
            }
            let results = try GradientCheck.run(model: model, samples: samples, seed: UInt64(seed))
            return json(["parameters": .array(results.map { result in
                ["name": .string(result.name), "max_relative_error": .double(result.maxRelativeError),
                 "checked": .int(result.checked), "skipped_kinks": .int(result.skippedKinks)]
            })])
        }
        routes.add(.post, "/experiments/init-comparison") { [unowned self] request in
            let body = try RequestBody.object(request, emptyIsObject: true)
            // Checked here so the list of allowed fields includes `inits`; the rest are a job's own (preset too).
            let allowed = ["inits"] + JobConfig.topLevelKeys
            if let unknown = body.keys.first(where: { !allowed.contains($0) }) {
                throw APIError.invalidConfig(field: unknown, message: "unknown field (allowed: \(allowed.joined(separator: ", ")))")
            }
            let inits = try TrainingService.inits(body)
            var fields = body.value.objectValue ?? [:]
            fields.removeValue(forKey: "inits")
            let base = try JobConfig(json: JSONValue.object(fields).tree)
            // Every job would start from the same stored weights: the inits would not be compared at all.
            if base.model.fromModel != nil {
                throw APIError.invalidConfig(field: "model.from_model",
                                             message: "an init comparison trains each init from scratch; leave model.from_model null")
            }
            let configs = inits.map { kind -> JobConfig in
                var config = base
                config.model.initializer = kind
                config.name = (base.name.map { "\($0) · " } ?? "init comparison · ") + kind.rawValue
                return config
            }
            let experiment = try startExperiment(
                name: base.name ?? "init comparison", kind: "init_comparison", base: .object(fields), paths: ["model.init"],
                search: "grid", sameBatches: true, scheduler: nil, configs: configs,
                params: inits.map { ["model.init": .string($0.rawValue)] })
            return json(["id": .string(experiment.id), "job_ids": .array(experiment.jobIDs.map(JSONValue.string))], status: 201)
        }
    }

    /// `inits`: 1...4 distinct init names; default (missing or null) normal, xavier, he (the classic init comparison).
    static func inits(_ body: JSONReader) throws -> [InitKind] {
        guard let names = try body.optionalArray("inits") else { return [.normal, .xavier, .he] }
        guard (1...InitKind.allCases.count).contains(names.count) else {
            throw APIError.invalidRequest("inits must be an array of 1...\(InitKind.allCases.count) init names", field: "inits")
        }
        var kinds: [InitKind] = []
        for name in names {
            guard let text = name.value.stringValue, let kind = InitKind(rawValue: text) else {
                throw name.failure(nil, "must be one of \(InitKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard !kinds.contains(kind) else { throw name.failure(nil, "repeats '\(text)'") }
            kinds.append(kind)
        }
        return kinds
    }
}
