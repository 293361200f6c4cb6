// kill -9 safety, for real: a child process (this test binary, re-run in writer mode) saves a job,
// its history, checkpoint and models in a loop and is SIGKILLed at a random moment; a new store on the
// same directory must load the last complete records, every time, across several kill/restart rounds.
import Foundation
import Testing
@testable import Service
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

private let writerDirectoryVariable = "MNISTD_STORE_WRITER_DIR"

@Test func store_afterKill9AtRandomMoments_loadsTheLastCompleteRecords() throws {
    let dir = try TemporaryDirectory()
    let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    var rng = SplitMix64(seed: 2024)
    var previousIteration = 0
    for round in 0..<6 {
        let confirmations = dir.file("confirmed-\(round).txt")
        _ = FileManager.default.createFile(atPath: confirmations.path, contents: nil)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: executable)
        child.arguments = ["--testing-library", "swift-testing", "--filter", "storeWriter_runsUntilKilled"]
        var environment = ProcessInfo.processInfo.environment
        environment[writerDirectoryVariable] = dir.file("state").path
        environment["MNISTD_STORE_WRITER_CONFIRMATIONS"] = confirmations.path
        child.environment = environment
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        // Let it complete a few saves, then kill it somewhere inside the next ones.
        let target = 3 + Int.random(in: 0..<20, using: &rng)
        let deadline = Date().addingTimeInterval(30)
        while confirmedCount(confirmations) < target && Date() < deadline && child.isRunning { usleep(1000) }
        usleep(UInt32.random(in: 0..<4000, using: &rng))
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal, "round \(round): the writer ended on its own")
        let confirmed = lastConfirmed(confirmations) ?? previousIteration

        let store = try JobStore(directory: dir.file("state"))
        let job = try #require(store.job("job_crash"), "round \(round)")
        let iteration = job.progress.iteration
        // The writer's order per step: history (flushed), checkpoint, job record, then confirmation.
        #expect(iteration == confirmed || iteration == confirmed + 1, "round \(round): job \(iteration), confirmed \(confirmed)")
        #expect(job.name == "v\(iteration)")
        let checkpoint = Int(String(decoding: try store.checkpoint(for: "job_crash") ?? Data(), as: UTF8.self)) ?? 0
        #expect(checkpoint == iteration || checkpoint == iteration + 1, "round \(round): checkpoint \(checkpoint)")
        let points = try store.history("job_crash")!.points()
        #expect(points.map(\.iteration) == Array(1...max(1, points.count)) || points.isEmpty)
        #expect(points.count == checkpoint || points.count == checkpoint + 1, "round \(round): history \(points.count)")
        #expect(points.allSatisfy { $0.trainLoss == 1 / Float($0.iteration) })
        for model in store.allModels() {
            #expect(try store.modelExport(model.id) == Data("weights of \(model.id)".utf8))
        }
        #expect(store.startup.interrupted == ["job_crash"])
        #expect(store.startup.unreadable.isEmpty)
        #expect(iteration >= previousIteration)
        previousIteration = iteration
    }
    #expect(previousIteration >= 18)
}

/// The writer side, run only inside the child process the test above starts.
@Test(.enabled(if: ProcessInfo.processInfo.environment[writerDirectoryVariable] != nil))
func storeWriter_runsUntilKilled() throws {
    let environment = ProcessInfo.processInfo.environment
    let store = try JobStore(directory: URL(fileURLWithPath: environment[writerDirectoryVariable]!))
    let confirmations = try FileHandle(forWritingTo: URL(fileURLWithPath: environment["MNISTD_STORE_WRITER_CONFIRMATIONS"]!))
    if store.job("job_crash") == nil {
        var job = sampleJob(id: "job_crash")
        job.start()
        try store.save(job)
    }
    // Resume like the service will: from the job record's iteration, re-appending history past it.
    var iteration = store.job("job_crash")!.progress.iteration
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
        iteration += 1
        try store.history("job_crash")!.append([.train(iteration: iteration, epoch: 1, loss: 1 / Float(iteration), accuracy: 0.5)])
        try store.history("job_crash")!.flush()
        try store.saveCheckpoint(Data(String(iteration).utf8), for: "job_crash")
        try store.update("job_crash") {
            $0.name = "v\(iteration)"
            $0.progress.iteration = iteration
        }
        if iteration % 5 == 0 {
            let id = "model_\(iteration)"
            try store.saveModel(ModelRecord(id: id, name: id, jobID: "job_crash", architecture: [:]), export: Data("weights of \(id)".utf8))
        }
        confirmations.write(Data("\(iteration)\n".utf8))
    }
}

private func confirmedCount(_ url: URL) -> Int {
    ((try? Data(contentsOf: url)) ?? Data()).filter { $0 == 0x0A }.count
}

private func lastConfirmed(_ url: URL) -> Int? {
    let text = String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self)
    return text.split(separator: "\n").last.flatMap { Int($0) }
}
