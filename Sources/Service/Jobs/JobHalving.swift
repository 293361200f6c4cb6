// A sweep run's standing under successive halving, shown on the job: the rung it last reached, what it
// measured there, and whether it waits for the other runs, went on, or was culled.
import Foundation

public struct JobHalving: Equatable, Sendable {
    /// `waiting` (paused at the rung until every run has reached it), `promoted` (training on), `culled`
    /// (stopped at the rung: the job ends cancelled).
    public enum Status: String, Sendable { case waiting, promoted, culled }

    /// 0-based rung, and the iteration this run met it at.
    public var rung: Int
    public var iteration: Int
    public var status: Status
    /// The scheduler's metric and this run's value of it at the rung (nil: it had none, it ranks last).
    public var metric: String
    public var value: Double?

    public init(rung: Int, iteration: Int, status: Status, metric: String, value: Double?) {
        self.rung = rung
        self.iteration = iteration
        self.status = status
        self.metric = metric
        self.value = value
    }

    public var json: JSONValue {
        ["rung": .int(rung), "iteration": .int(iteration), "status": .string(status.rawValue),
         "metric": .string(metric), "value": .number(value)]
    }

    init(reader r: JSONReader) throws {
        let name = try r.string("status")
        guard let status = Status(rawValue: name) else {
            throw StoreError.malformedRecord(field: "successive_halving.status", reason: "is '\(name)'")
        }
        self.init(rung: try r.int("rung"), iteration: try r.int("iteration"), status: status,
                  metric: try r.string("metric"), value: try r.optionalDouble("value"))
    }
}
