// Experiments in memory, mirrored to `state/experiments/<id>.json` (atomic replace, so a kill -9 leaves the
// last complete record). Thread-safe; `update` changes a record and writes it before returning.
import Foundation

final class ExperimentStore: @unchecked Sendable {
    let directory: URL
    private let lock = NSLock()
    private let ioLock = NSLock()
    private var experiments: [String: Experiment] = [:]
    private var lastIssuedID: UInt64 = 0
    /// Records that could not be read at startup: path → reason (left on disk untouched).
    private(set) var unreadable: [String: String] = [:]

    init(directory: URL) throws {
        self.directory = directory
        try AtomicFile.makeDirectory(directory)
        _ = AtomicFile.sweepTemporaries(in: directory)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] where name.hasSuffix(".json") {
            let file = directory.appendingPathComponent(name)
            do {
                guard let data = try AtomicFile.read(file) else { continue }
                let experiment = try Experiment(json: try JSONValue(parsing: data))
                experiments[experiment.id] = experiment
            } catch {
                unreadable[file.path] = "\(error)"
            }
        }
    }

    /// `exp_` + 16 hex digits, time-ordered like job ids.
    func newID() -> String {
        lock.withLock {
            while true {
                let candidate = UInt64(Date().timeIntervalSince1970 * 1000) << 16 | UInt64(UInt16.random(in: 0...UInt16.max))
                lastIssuedID = max(candidate, lastIssuedID + 1)
                let hex = String(lastIssuedID, radix: 16)
                let id = "exp_\(String(repeating: "0", count: max(0, 16 - hex.count)))\(hex)"
                if experiments[id] == nil { return id }
            }
        }
    }

    func experiment(_ id: String) -> Experiment? { lock.withLock { experiments[id] } }

    /// Newest first.
    func all() -> [Experiment] {
        lock.withLock { experiments.values.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) } }
    }

    /// The experiment a job belongs to, if any.
    func experiment(containing jobID: String) -> Experiment? {
        lock.withLock { experiments.values.first { $0.contains(jobID) } }
    }

    func save(_ experiment: Experiment) throws {
        lock.withLock { experiments[experiment.id] = experiment }
        try persist(experiment.id)
    }

    /// Changes the record under the lock (`change` returns its own result) and writes it.
    func update<T>(_ id: String, _ change: (inout Experiment) -> T) throws -> T? {
        let result: T? = lock.withLock {
            guard var experiment = experiments[id] else { return nil }
            let result = change(&experiment)
            experiments[id] = experiment
            return result
        }
        if result != nil { try persist(id) }
        return result
    }

    @discardableResult
    func delete(_ id: String) throws -> Bool {
        try ioLock.withLock {
            guard lock.withLock({ experiments.removeValue(forKey: id) }) != nil else { return false }
            let file = directory.appendingPathComponent("\(id).json")
            if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
            try AtomicFile.syncDirectory(directory)
            return true
        }
    }

    private func persist(_ id: String) throws {
        try ioLock.withLock {
            guard let experiment = lock.withLock({ experiments[id] }) else { return }
            try AtomicFile.write(experiment.json.data, to: directory.appendingPathComponent("\(id).json"))
        }
    }
}
