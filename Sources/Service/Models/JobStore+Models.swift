// Models in the state directory: the export JSON is written first, the metadata record last, so a model
// is visible only once both are durable.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension JobStore {
    /// Stores a model: its engine export (`GET /models/{id}/export` body) and its record.
    public func saveModel(_ model: ModelRecord, export: Data) throws {
        try JobStore.checkID(model.id)
        try ioLock.withLock {
            try AtomicFile.write(export, to: modelsDirectory.appendingPathComponent("\(model.id).json"))
            try AtomicFile.write(model.json.data, to: modelsDirectory.appendingPathComponent("\(model.id).meta.json"))
        }
        lock.withLock { models[model.id] = model }
    }

    public func model(_ id: String) -> ModelRecord? {
        lock.withLock { models[id] }
    }

    /// Every model, newest first.
    public func allModels() -> [ModelRecord] {
        lock.withLock { Array(models.values) }.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
    }

    /// The model's export JSON, read from disk; nil when there is no such model.
    public func modelExport(_ id: String) throws -> Data? {
        guard model(id) != nil else { return nil }
        return try AtomicFile.read(modelsDirectory.appendingPathComponent("\(id).json"))
    }

    /// Removes a model; returns false if there was none. The record goes first so a crash leaves no half model.
    @discardableResult
    public func deleteModel(_ id: String) throws -> Bool {
        try ioLock.withLock {
            guard lock.withLock({ models.removeValue(forKey: id) }) != nil else { return false }
            for name in ["\(id).meta.json", "\(id).json"] {
                let path = modelsDirectory.appendingPathComponent(name).path
                if unlink(path) != 0 && errno != ENOENT { throw StoreError.io(operation: "unlink", path: path, errno: errno) }
            }
            try AtomicFile.syncDirectory(modelsDirectory)
            return true
        }
    }
}
