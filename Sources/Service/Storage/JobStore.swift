// The state directory: jobs, their histories and checkpoints, and models, all written crash-safely.
//   state/jobs/<id>/job.json        the job record (atomic replace)
//   state/jobs/<id>/history.bin     append-only history (HistoryLog)
//   state/jobs/<id>/checkpoint.bin  the engine's opaque checkpoint (atomic replace)
//   state/models/<id>.json          the engine's export JSON; <id>.meta.json the ModelRecord (written last)
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Jobs and models in memory, mirrored to disk. Thread-safe; file writes are serialised.
public final class JobStore: @unchecked Sendable {
    public let directory: URL
    let jobsDirectory: URL
    let modelsDirectory: URL
    /// What startup found: jobs to resume or re-queue, records it could not read.
    public let startup: StartupReport

    let lock = NSLock()  // guards the dictionaries
    let ioLock = NSLock()  // serialises writes, so the newest snapshot is always the last written
    var jobs: [String: Job] = [:]
    var models: [String: ModelRecord] = [:]
    var histories: [String: HistoryLog] = [:]
    private var lastIssuedID: UInt64 = 0

    /// Opens (creating if needed) the state directory and loads every job and model.
    public init(directory: URL) throws {
        self.directory = directory
        jobsDirectory = directory.appendingPathComponent("jobs")
        modelsDirectory = directory.appendingPathComponent("models")
        try AtomicFile.makeDirectory(jobsDirectory)
        try AtomicFile.makeDirectory(modelsDirectory)
        let (jobs, models, report) = JobStore.load(jobsDirectory: jobsDirectory, modelsDirectory: modelsDirectory)
        self.jobs = jobs
        self.models = models
        self.startup = report
    }

    // MARK: - Jobs

    /// A fresh id, time-ordered (`job_` + milliseconds in hex + random), unused in this store.
    public func newJobID() -> String { newID(prefix: "job") { jobs[$0] != nil } }

    /// A fresh model id (`model_...`).
    public func newModelID() -> String { newID(prefix: "model") { models[$0] != nil } }

    /// The job with `id`, as last saved or updated.
    public func job(_ id: String) -> Job? {
        lock.withLock { jobs[id] }
    }

    /// Every job, in no particular order (`JobListing` sorts and pages).
    public func allJobs() -> [Job] {
        lock.withLock { Array(jobs.values) }
    }

    /// Stores `job` (new or replacing) in memory and durably on disk.
    public func save(_ job: Job) throws {
        try JobStore.checkID(job.id)
        lock.withLock { jobs[job.id] = job }
        try persistJob(job.id)
    }

    /// Changes a job in memory; with `persist` it is also written durably. Returns the new record, nil if absent.
    @discardableResult
    public func update(_ id: String, persist: Bool = true, _ change: (inout Job) -> Void) throws -> Job? {
        let updated: Job? = lock.withLock {
            guard var job = jobs[id] else { return nil }
            change(&job)
            jobs[id] = job
            return job
        }
        if updated != nil && persist { try persistJob(id) }
        return updated
    }

    /// Writes the job's current in-memory record (e.g. after `update(persist: false)` calls).
    public func persistJob(_ id: String) throws {
        try ioLock.withLock {
            guard let job = lock.withLock({ jobs[id] }) else { return }  // deleted meanwhile
            let folder = jobsDirectory.appendingPathComponent(id)
            try AtomicFile.makeDirectory(folder)
            try AtomicFile.write(job.json.data, to: folder.appendingPathComponent("job.json"))
        }
    }

    /// Removes a job with its history and checkpoint. Returns false if there was none.
    /// The folder is first renamed to `.deleted-<id>` so a crash midway never leaves half a job.
    @discardableResult
    public func deleteJob(_ id: String) throws -> Bool {
        try ioLock.withLock {
            let log: HistoryLog?? = lock.withLock { jobs.removeValue(forKey: id) == nil ? .none : .some(histories.removeValue(forKey: id)) }
            guard let log else { return false }
            log?.close()
            let folder = jobsDirectory.appendingPathComponent(id)
            let doomed = jobsDirectory.appendingPathComponent(".deleted-\(id)")
            guard rename(folder.path, doomed.path) == 0 else { throw StoreError.io(operation: "rename", path: folder.path, errno: errno) }
            try AtomicFile.syncDirectory(jobsDirectory)
            try? FileManager.default.removeItem(at: doomed)
            return true
        }
    }

    // MARK: - History and checkpoints

    /// The job's history log (created on first use), nil when the job does not exist.
    public func history(_ id: String) -> HistoryLog? {
        lock.withLock {
            guard jobs[id] != nil else { return nil }
            if let log = histories[id] { return log }
            let log = HistoryLog(url: jobsDirectory.appendingPathComponent(id).appendingPathComponent("history.bin"))
            histories[id] = log
            return log
        }
    }

    /// Replaces the job's checkpoint durably.
    public func saveCheckpoint(_ data: Data, for id: String) throws {
        try JobStore.checkID(id)
        try ioLock.withLock {
            guard lock.withLock({ jobs[id] != nil }) else { return }
            try AtomicFile.write(data, to: jobsDirectory.appendingPathComponent(id).appendingPathComponent("checkpoint.bin"))
        }
    }

    /// The job's last checkpoint, nil when none was saved.
    public func checkpoint(for id: String) throws -> Data? {
        try JobStore.checkID(id)
        return try AtomicFile.read(jobsDirectory.appendingPathComponent(id).appendingPathComponent("checkpoint.bin"))
    }

    /// Removes the checkpoint (once the job has finished and its model is saved).
    public func removeCheckpoint(for id: String) throws {
        try JobStore.checkID(id)
        try ioLock.withLock {
            let url = jobsDirectory.appendingPathComponent(id).appendingPathComponent("checkpoint.bin")
            if unlink(url.path) != 0 && errno != ENOENT { throw StoreError.io(operation: "unlink", path: url.path, errno: errno) }
        }
    }

    // MARK: - Helpers

    /// `<prefix>_` + 16 hex digits: milliseconds << 16 | a random low word, strictly increasing within the
    /// process, so ids sort by creation time and never repeat even if created in the same millisecond.
    private func newID(prefix: String, taken: (String) -> Bool) -> String {
        lock.withLock {
            while true {
                let candidate = UInt64(Date().timeIntervalSince1970 * 1000) << 16 | UInt64(UInt16.random(in: 0...UInt16.max))
                lastIssuedID = max(candidate, lastIssuedID + 1)
                let hex = String(lastIssuedID, radix: 16)
                let id = "\(prefix)_\(String(repeating: "0", count: max(0, 16 - hex.count)))\(hex)"
                if !taken(id) { return id }
            }
        }
    }

    /// Ids become file names: only `[A-Za-z0-9_-]`, 1...64 characters.
    static func checkID(_ id: String) throws {
        let ok = !id.isEmpty && id.utf8.count <= 64 && id.utf8.allSatisfy {
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95
        }
        guard ok else { throw StoreError.invalidID(id) }
    }
}
