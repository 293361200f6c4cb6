// JobStore: everything saved is loaded by a new store on the same directory; crash leftovers are swept,
// unreadable records reported and never destroyed; running and queued jobs are reported for resumption.
import Foundation
import Testing
@testable import Service

@Test func reopen_loadsJobsHistoriesCheckpointsAndModels() throws {
    let dir = try TemporaryDirectory()
    do {
        let store = try JobStore(directory: dir.url)
        var job = sampleJob(id: store.newJobID())
        try store.save(job)
        job.start()
        job.finish(.succeeded)
        job.modelID = "model_a"
        try store.save(job)
        try store.history(job.id)!.append([.train(iteration: 1, epoch: 1, loss: 2.5, accuracy: 0.125)])
        try store.history(job.id)!.sync()
        try store.saveCheckpoint(Data([1, 2, 3]), for: job.id)
        try store.saveModel(ModelRecord(id: "model_a", name: "my run", jobID: job.id, architecture: ["layers": [784, 10]],
                                        metrics: JobMetrics(testAccuracy: 0.92)), export: Data(#"{"format":"mnistd-mlp-v1"}"#.utf8))
    }
    let store = try JobStore(directory: dir.url)
    let job = try #require(store.allJobs().first)
    #expect(store.allJobs().count == 1)
    #expect(job.state == .succeeded && job.modelID == "model_a" && job.name == "my run")
    #expect(try store.history(job.id)!.points() == [HistoryPoint(iteration: 1, epoch: 1, trainLoss: 2.5, trainAccuracy: 0.125)])
    #expect(try store.checkpoint(for: job.id) == Data([1, 2, 3]))
    #expect(store.model("model_a")?.metrics.testAccuracy == 0.92)
    #expect(store.model("model_a")?.jobID == job.id)
    #expect(try store.modelExport("model_a") == Data(#"{"format":"mnistd-mlp-v1"}"#.utf8))
    #expect(store.startup == StartupReport())
}

@Test func reopen_reportsRunningJobsAsInterruptedAndQueuedOnesOldestFirst() throws {
    let dir = try TemporaryDirectory()
    do {
        let store = try JobStore(directory: dir.url)
        for (i, state) in [JobState.queued, .running, .queued, .succeeded, .running].enumerated() {
            var job = sampleJob(id: "job_\(i)", createdAt: Date(timeIntervalSince1970: Double(1000 - i)))
            job.state = state
            try store.save(job)
        }
    }
    let report = try JobStore(directory: dir.url).startup
    #expect(report.interrupted == ["job_4", "job_1"])
    #expect(report.queued == ["job_2", "job_0"])
}

@Test func update_inMemoryOnlyIsLostButPersistWritesIt() throws {
    let dir = try TemporaryDirectory()
    let store = try JobStore(directory: dir.url)
    try store.save(sampleJob(id: "job_u"))
    try store.update("job_u", persist: false) { $0.progress.iteration = 7 }
    #expect(store.job("job_u")?.progress.iteration == 7)
    #expect(try JobStore(directory: dir.url).job("job_u")?.progress.iteration == 0)
    try store.persistJob("job_u")
    #expect(try JobStore(directory: dir.url).job("job_u")?.progress.iteration == 7)
    #expect(try store.update("job_missing") { $0.name = "x" } == nil)
}

@Test func leftoverTempFilesNeverReplaceTheRecordAndAreSwept() throws {
    let dir = try TemporaryDirectory()
    try JobStore(directory: dir.url).save(sampleJob(id: "job_t"))
    // A crash after writing half a temp file, before the rename.
    try Data(#"{"id": "job_t", "na"#.utf8).write(to: dir.file("jobs/job_t/.job.json.tmp-99-1"))
    try Data("half".utf8).write(to: dir.file("models/.m.json.tmp-99-2"))
    let store = try JobStore(directory: dir.url)
    #expect(store.job("job_t") == sampleJob(id: "job_t"))
    #expect(store.startup.sweptFiles == 2)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("jobs/job_t").path) == ["job.json"])
}

@Test func unreadableRecordsAreReportedAndLeftOnDisk() throws {
    let dir = try TemporaryDirectory()
    let store = try JobStore(directory: dir.url)
    try store.save(sampleJob(id: "job_ok"))
    try store.save(sampleJob(id: "job_bad"))
    try Data("{not json".utf8).write(to: dir.file("jobs/job_bad/job.json"))
    let reopened = try JobStore(directory: dir.url)
    #expect(reopened.allJobs().map(\.id) == ["job_ok"])
    #expect(reopened.startup.unreadable.keys.contains(dir.file("jobs/job_bad/job.json").path))
    #expect(FileManager.default.fileExists(atPath: dir.file("jobs/job_bad/job.json").path))
}

@Test func deleteJob_removesItsFolderAndAHalfDoneDeleteIsFinishedAtStartup() throws {
    let dir = try TemporaryDirectory()
    let store = try JobStore(directory: dir.url)
    try store.save(sampleJob(id: "job_d"))
    try store.history("job_d")!.append([.train(iteration: 1, epoch: 1, loss: 1, accuracy: 0)])
    try store.history("job_d")!.flush()
    #expect(try store.deleteJob("job_d"))
    #expect(try store.deleteJob("job_d") == false)
    #expect(store.job("job_d") == nil && store.history("job_d") == nil)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("jobs").path).isEmpty)
    // A crash between the rename and the removal leaves `.deleted-<id>`.
    try FileManager.default.createDirectory(at: dir.file("jobs/.deleted-job_e"), withIntermediateDirectories: true)
    try Data("{}".utf8).write(to: dir.file("jobs/.deleted-job_e/job.json"))
    let reopened = try JobStore(directory: dir.url)
    #expect(reopened.allJobs().isEmpty && reopened.startup.sweptFiles == 1)
}

@Test func models_orphanExportIsSweptAndDeleteRemovesBothFiles() throws {
    let dir = try TemporaryDirectory()
    let store = try JobStore(directory: dir.url)
    let id = store.newModelID()
    try store.saveModel(ModelRecord(id: id, name: "m", jobID: nil, architecture: ["layers": [784, 10]]), export: Data("{}".utf8))
    try store.saveModel(ModelRecord(id: "model_b", name: "n", jobID: nil, createdAt: Date(timeIntervalSince1970: 1),
                                    architecture: ["layers": [784, 10]]), export: Data("{}".utf8))
    #expect(store.allModels().map(\.id) == [id, "model_b"])
    try Data("{}".utf8).write(to: dir.file("models/model_orphan.json"))  // crash before its record
    let reopened = try JobStore(directory: dir.url)
    #expect(reopened.startup.sweptFiles == 1)
    #expect(reopened.allModels().count == 2)
    #expect(try reopened.deleteModel(id))
    #expect(try reopened.modelExport(id) == nil)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("models").path).sorted() == ["model_b.json", "model_b.meta.json"])
}

@Test func ids_areUniqueAndUnsafeOnesAreRefused() throws {
    let dir = try TemporaryDirectory()
    let store = try JobStore(directory: dir.url)
    let ids = (0..<200).map { _ in store.newJobID() }
    #expect(Set(ids).count == 200)
    #expect(ids == ids.sorted())  // creation order
    #expect(ids.allSatisfy { (try? JobStore.checkID($0)) != nil })
    for bad in ["", "../etc", "a/b", String(repeating: "x", count: 65), "job 1"] {
        #expect(throws: StoreError.invalidID(bad)) { try store.save(sampleJob(id: bad)) }
    }
}

@Test func checkpoint_isReplacedAndRemoved() throws {
    let dir = try TemporaryDirectory()
    let store = try JobStore(directory: dir.url)
    try store.save(sampleJob(id: "job_c"))
    #expect(try store.checkpoint(for: "job_c") == nil)
    try store.saveCheckpoint(Data(repeating: 1, count: 100_000), for: "job_c")
    try store.saveCheckpoint(Data([9]), for: "job_c")
    #expect(try store.checkpoint(for: "job_c") == Data([9]))
    try store.removeCheckpoint(for: "job_c")
    try store.removeCheckpoint(for: "job_c")
    #expect(try store.checkpoint(for: "job_c") == nil)
}
