// Stored models ready to predict: each model's export is parsed once, and a few Predictors per model are
// kept for reuse (a Predictor holds its own workspace, so one serves one request at a time).
import Engine
import Foundation

/// Parsed models and idle predictors by model id. Thread-safe.
final class PredictorCache: @unchecked Sendable {
    private let store: JobStore
    private let lock = NSLock()
    private var models: [String: Model] = [:]
    private var idle: [String: [Predictor]] = [:]
    /// Idle predictors kept per model; more concurrent requests build throwaway ones.
    private let keep = 4

    init(store: JobStore) {
        self.store = store
    }

    /// The stored model `id`, parsed once; nil when there is no such model.
    func model(_ id: String) throws -> Model? {
        if let model = lock.withLock({ models[id] }) { return model }
        guard let model = try store.storedModel(id) else { return nil }
        lock.withLock { models[id] = model }
        return model
    }

    /// Predictions for `pixels` (count × 784 raw values 0...255) with model `id`, normalised as it was trained.
    func predict(_ id: String, pixels: [Float]) throws -> [Prediction]? {
        guard let model = try model(id) else { return nil }
        let predictor = try lock.withLock { idle[id]?.popLast() } ?? Predictor(model: model)
        defer {
            lock.withLock {
                if idle[id, default: []].count < keep { idle[id, default: []].append(predictor) }
            }
        }
        return predictor.predict(images: Predictor.normalize(pixels: pixels, model.normalize))
    }
}
