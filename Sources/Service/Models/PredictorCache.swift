// Stored models ready to predict, within a memory bound: each model's file is read once and a few Predictors
// per model are kept for reuse (a Predictor holds its own weights and workspace, so one serves one request at a
// time). When the estimated bytes of all of them pass the limit, the least recently used models go first; a
// model dropped is read again from its file on its next use.
import Engine
import Foundation

/// Parsed models and idle predictors by model id, least recently used evicted past `limitBytes`. Thread-safe.
final class PredictorCache: @unchecked Sendable {
    private struct Entry {
        var model: Model
        var idle: [Predictor] = []
        var lastUse: UInt64
        /// `bytes(ofPredictor: model)`, worked out once: it builds the model's spec.
        let predictorBytes: Int
    }

    private let store: JobStore
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0
    /// The estimated bytes of everything held.
    private(set) var bytes = 0
    let limitBytes: Int
    /// Idle predictors kept per model; more concurrent requests build throwaway ones.
    private let keep = 4

    init(store: JobStore, limitBytes: Int = 256 << 20) {
        self.store = store
        self.limitBytes = limitBytes
    }

    /// A parsed model's weights as the Model holds them (Float arrays).
    static func bytes(of model: Model) -> Int { model.parameterCount * 4 }

    /// A Predictor: its network's weights (and the gradient buffers a Network carries) plus a workspace of up to
    /// 256 rows of every layer's values before and after its activation.
    static func bytes(ofPredictor model: Model) -> Int {
        let widths = (try? model.spec().widths.reduce(0, +)) ?? model.inputs
        return model.parameterCount * 8 + 256 * 2 * 4 * widths
    }

    /// Models held now, for tests and metrics.
    var count: Int { lock.withLock { entries.count } }

    /// The stored model `id`, read once while it stays cached; nil when there is no such model.
    func model(_ id: String) throws -> Model? {
        if let model = lock.withLock({ touch(id)?.model }) { return model }
        guard let model = try store.storedModel(id) else { return nil }
        lock.withLock {
            if entries[id] == nil {
                clock += 1
                entries[id] = Entry(model: model, lastUse: clock, predictorBytes: PredictorCache.bytes(ofPredictor: model))
                bytes += PredictorCache.bytes(of: model)
            }
            evict(keeping: id)
        }
        return model
    }

    /// Predictions for `pixels` (count × 784 raw values 0...255) with model `id`, normalised as it was trained.
    func predict(_ id: String, pixels: [Float]) throws -> [Prediction]? {
        guard let model = try model(id) else { return nil }
        let predictor = try lock.withLock { () -> Predictor? in
            guard let predictor = entries[id]?.idle.popLast() else { return nil }
            bytes -= entries[id]?.predictorBytes ?? 0
            return predictor
        }
            ?? Predictor(model: model)
        defer {
            lock.withLock {
                // Kept only while the model is (a deleted or evicted model's predictor is dropped).
                guard var entry = entries[id], entry.idle.count < keep else { return }
                entry.idle.append(predictor)
                entries[id] = entry
                bytes += entry.predictorBytes
                evict(keeping: id)
            }
        }
        return predictor.predict(images: Predictor.normalize(pixels: pixels, model.normalize))
    }

    /// Forgets model `id` (deleted).
    func remove(_ id: String) {
        lock.withLock {
            if let entry = entries.removeValue(forKey: id) { bytes -= size(of: entry) }
        }
    }

    // MARK: - Under the lock

    private func touch(_ id: String) -> Entry? {
        guard var entry = entries[id] else { return nil }
        clock += 1
        entry.lastUse = clock
        entries[id] = entry
        return entry
    }

    private func size(of entry: Entry) -> Int {
        PredictorCache.bytes(of: entry.model) + entry.idle.count * entry.predictorBytes
    }

    /// Drops least recently used models until the total fits, never `id` (the one in use).
    private func evict(keeping id: String) {
        while bytes > limitBytes {
            guard let oldest = entries.filter({ $0.key != id }).min(by: { $0.value.lastUse < $1.value.lastUse }) else {
                // `id` alone is over the limit: keep the model, not its idle predictors.
                if var entry = entries[id], !entry.idle.isEmpty {
                    bytes -= entry.idle.count * entry.predictorBytes
                    entry.idle.removeAll()
                    entries[id] = entry
                }
                return
            }
            entries.removeValue(forKey: oldest.key)
            bytes -= size(of: oldest.value)
        }
    }
}
