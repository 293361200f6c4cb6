// Successive halving: every run trains to the first rung (a fraction of its iterations) and stops there; once
// all live runs have reached it, the best 1/reduction go on to the next rung and the rest are culled. After
// the last rung the survivors train to the end. A sweep of 27 with reduction 3 and two rungs trains
// 27 × 1/9 + 9 × (1/3 − 1/9) + 3 × (1 − 1/3) = 7 runs' worth instead of 27. The rungs wait for each other
// (unlike asynchronous halving), so which runs survive depends on the metric only, never on the order the
// workers happened to take them in.
import Foundation

struct SuccessiveHalving: Equatable, Sendable {
    /// `validation_loss` (lower is better) or `validation_accuracy`.
    let metric: String
    let reduction: Int
    let rungs: Int

    static let metrics = ["validation_loss", "validation_accuracy"]

    var lowerIsBetter: Bool { metric.hasSuffix("_loss") }

    /// The share of its iterations a run has trained at rung `k` (0-based): reduction^-(rungs - k).
    func fraction(rung k: Int) -> Double { pow(Double(reduction), -Double(rungs - k)) }

    /// The iteration at which a run of `total` iterations meets rung `k`: at least 1, before the end.
    func iteration(rung k: Int, total: Int) -> Int {
        min(max(1, Int((Double(total) * fraction(rung: k)).rounded())), max(1, total - 1))
    }

    /// Default rungs for `runs` runs: floor(log_reduction(runs)) − 1, at least 1, so a few runs finish.
    static func defaultRungs(runs: Int, reduction: Int) -> Int {
        var rungs = 0, left = runs
        while left >= reduction { left /= reduction; rungs += 1 }
        return max(1, rungs - 1)
    }

    /// Of the runs that reached a rung (job id → metric value), the ones that go on: the best
    /// max(1, count / reduction), ties broken by run order; non-finite values rank last.
    func survivors(_ values: [String: Double], order: [String]) -> Set<String> {
        let ranked = order.filter { values[$0] != nil }.enumerated().sorted { a, b in
            let (x, y) = (values[a.element]!, values[b.element]!)
            if x.isFinite != y.isFinite { return x.isFinite }
            if x != y && x.isFinite { return lowerIsBetter ? x < y : x > y }
            return a.offset < b.offset
        }.map(\.element)
        return Set(ranked.prefix(max(1, ranked.count / reduction)))
    }

    var json: JSONValue {
        ["type": "successive_halving", "metric": .string(metric), "reduction": .int(reduction), "rungs": .int(rungs)]
    }

    /// `{"type": "successive_halving", "metric", "reduction": 2...8 (default 3), "rungs"}`; `runs` sets the
    /// default number of rungs, and `path` names the object in errors.
    init(_ reader: JSONReader, runs: Int) throws {
        try reader.rejectUnknown(["type", "metric", "reduction", "rungs"])
        guard try reader.optionalString("type") == "successive_halving" else {
            throw reader.failure("type", "must be \"successive_halving\"")
        }
        let metric = try reader.optionalString("metric") ?? "validation_loss"
        guard SuccessiveHalving.metrics.contains(metric) else {
            throw reader.failure("metric", "must be one of \(SuccessiveHalving.metrics.joined(separator: ", "))")
        }
        let reduction = try reader.optionalInt("reduction", in: 2...8) ?? 3
        let rungs = try reader.optionalInt("rungs", in: 1...8) ?? SuccessiveHalving.defaultRungs(runs: runs, reduction: reduction)
        self.init(metric: metric, reduction: reduction, rungs: rungs)
    }

    init(metric: String, reduction: Int, rungs: Int) {
        self.metric = metric
        self.reduction = reduction
        self.rungs = rungs
    }
}
