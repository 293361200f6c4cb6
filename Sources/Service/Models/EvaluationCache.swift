// Model evaluations kept in memory: each model is scored once (its weights never change), concurrent requests
// for a model being scored wait for that one run, and the least recently used are dropped past `capacity`
// (each holds its test split's outputs: about 0.4 MB for MNIST).
import Foundation

/// Evaluations by model id. Thread-safe; no lock is held while one is computed.
final class EvaluationCache: @unchecked Sendable {
    let capacity: Int
    private let condition = NSCondition()
    private var ready: [String: ModelEvaluation] = [:]
    /// Ids in `ready`, least recently used first.
    private var recency: [String] = []
    private var computing: Set<String> = []

    init(capacity: Int = 32) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// The evaluation of model `id`, running `compute` unless it is cached or being computed (then waiting for
    /// it). A failed computation is not kept: the next call tries again.
    func evaluation(_ id: String, compute: () throws -> ModelEvaluation) throws -> ModelEvaluation {
        condition.lock()
        while true {
            if let found = ready[id] {
                touch(id)
                condition.unlock()
                return found
            }
            if !computing.contains(id) { break }
            condition.wait()
        }
        computing.insert(id)
        condition.unlock()
        defer {
            condition.lock()
            computing.remove(id)
            condition.broadcast()
            condition.unlock()
        }
        let evaluation = try compute()
        condition.withLock {
            ready[id] = evaluation
            touch(id)
            while recency.count > capacity { ready[recency.removeFirst()] = nil }
        }
        return evaluation
    }

    /// Whether model `id`'s evaluation is held.
    func contains(_ id: String) -> Bool { condition.withLock { ready[id] != nil } }

    /// Moves `id` to the most recent end. Call with the lock held.
    private func touch(_ id: String) {
        recency.removeAll { $0 == id }
        recency.append(id)
    }
}
