// Startup: read every job and model record, sweep what a crash left behind (temp files, half-deleted
// jobs, exports without a record), and report jobs that were running or queued so they can be resumed.
import Foundation

/// What `JobStore` found when it opened the state directory.
public struct StartupReport: Equatable, Sendable {
    /// Jobs found `running`: a crash interrupted them. Resume from `checkpoint(for:)` or re-queue.
    public var interrupted: [String] = []
    /// Jobs found `queued`, oldest first: enqueue them again.
    public var queued: [String] = []
    /// Records that could not be read, path → reason. They are left on disk untouched.
    public var unreadable: [String: String] = [:]
    /// Temp files, half-deleted job folders and orphan model exports removed.
    public var sweptFiles = 0
}

extension JobStore {
    static func load(jobsDirectory: URL, modelsDirectory: URL) -> ([String: Job], [String: ModelRecord], StartupReport) {
        var report = StartupReport()
        var jobs: [String: Job] = [:]
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: jobsDirectory.path)) ?? [] {
            let folder = jobsDirectory.appendingPathComponent(name)
            if name.hasPrefix(".deleted-") || (name.hasPrefix(".") && name.contains(AtomicFile.temporaryMarker)) {
                if (try? fm.removeItem(at: folder)) != nil { report.sweptFiles += 1 }
                continue
            }
            report.sweptFiles += AtomicFile.sweepTemporaries(in: folder)
            let file = folder.appendingPathComponent("job.json")
            do {
                // A folder without job.json is a job whose creation did not complete; nothing to load.
                guard let data = try AtomicFile.read(file) else { continue }
                let job = try Job(json: try JSONValue(parsing: data))
                guard job.id == name else { throw StoreError.malformedRecord(field: "id", reason: "is '\(job.id)' in folder '\(name)'") }
                jobs[job.id] = job
            } catch {
                report.unreadable[file.path] = "\(error)"
            }
        }
        let byAge = jobs.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        report.interrupted = byAge.filter { $0.state == .running }.map(\.id)
        report.queued = byAge.filter { $0.state == .queued }.map(\.id)

        var models: [String: ModelRecord] = [:]
        report.sweptFiles += AtomicFile.sweepTemporaries(in: modelsDirectory)
        let names = Set((try? fm.contentsOfDirectory(atPath: modelsDirectory.path)) ?? [])
        for name in names where name.hasSuffix(".meta.json") {
            let file = modelsDirectory.appendingPathComponent(name)
            do {
                guard let data = try AtomicFile.read(file) else { continue }
                let model = try ModelRecord(json: try JSONValue(parsing: data))
                guard names.contains("\(model.id).safetensors") || names.contains("\(model.id).json") else {
                    throw StoreError.malformedRecord(field: "id", reason: "'\(model.id)' has no export file")
                }
                models[model.id] = model
            } catch {
                report.unreadable[file.path] = "\(error)"
            }
        }
        // An export without its record: the crash came between the two writes; the model was never visible.
        for name in names where (name.hasSuffix(".json") && !name.hasSuffix(".meta.json")) || name.hasSuffix(".safetensors") {
            let id = String(name.prefix(upTo: name.lastIndex(of: ".")!))
            if !names.contains("\(id).meta.json"), (try? fm.removeItem(at: modelsDirectory.appendingPathComponent(name))) != nil {
                report.sweptFiles += 1
            }
        }
        return (jobs, models, report)
    }
}
