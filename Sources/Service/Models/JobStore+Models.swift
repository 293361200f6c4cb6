// Models in the state directory: the weights (`{id}.safetensors`, ModelFile; `{id}.json` from earlier
// versions) are written first, the metadata record last, so a model is visible only once both are durable.
import Engine
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

    /// Stores a model in the binary form (ModelFile) and its record.
    public func saveModel(_ record: ModelRecord, model: Model) throws {
        try JobStore.checkID(record.id)
        let data = ModelFile.encode(model)
        try ioLock.withLock {
            try AtomicFile.write(data, to: modelsDirectory.appendingPathComponent("\(record.id).safetensors"))
            try AtomicFile.write(record.json.data, to: modelsDirectory.appendingPathComponent("\(record.id).meta.json"))
        }
        lock.withLock { models[record.id] = record }
    }

    /// The stored model, read and checked; nil when there is no such model. A corrupt file throws
    /// `StoreError.corruptModel` naming it.
    public func storedModel(_ id: String) throws -> Model? {
        guard model(id) != nil else { return nil }
        let binary = modelsDirectory.appendingPathComponent("\(id).safetensors")
        if let data = try AtomicFile.read(binary) { return try ModelFile.decode(data, path: binary.path) }
        let legacy = modelsDirectory.appendingPathComponent("\(id).json")
        guard let data = try AtomicFile.read(legacy) else { return nil }
        do { return try Model(jsonData: data) } catch {
            throw StoreError.corruptModel(path: legacy.path, reason: "\(error)")
        }
    }

    public func model(_ id: String) -> ModelRecord? {
        lock.withLock { models[id] }
    }

    /// Every model, newest first.
    public func allModels() -> [ModelRecord] {
        lock.withLock { Array(models.values) }.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
    }

    /// The model's export JSON: made from the binary file (checked), or an earlier version's JSON file as it is;
    /// nil when there is no such model.
    public func modelExport(_ id: String) throws -> Data? {
        guard model(id) != nil else { return nil }
        if FileManager.default.fileExists(atPath: modelsDirectory.appendingPathComponent("\(id).safetensors").path) {
            return try storedModel(id)?.jsonData()
        }
        return try AtomicFile.read(modelsDirectory.appendingPathComponent("\(id).json"))
    }

    /// Removes a model; returns false if there was none. The record goes first so a crash leaves no half model.
    @discardableResult
    public func deleteModel(_ id: String) throws -> Bool {
        try ioLock.withLock {
            guard lock.withLock({ models.removeValue(forKey: id) }) != nil else { return false }
            for name in ["\(id).meta.json", "\(id).safetensors", "\(id).json"] {
                let path = modelsDirectory.appendingPathComponent(name).path
                if unlink(path) != 0 && errno != ENOENT { throw StoreError.io(operation: "unlink", path: path, errno: errno) }
            }
            try AtomicFile.syncDirectory(modelsDirectory)
            return true
        }
    }
}
