// WorkerPool with fake jobs: N workers run jobs concurrently, cancel finds jobs queued or running, and
// stop() signals shutdown and waits for the workers.
import Foundation
import Testing
@testable import Service

/// A fake training job: `steps` minibatches of 1 ms, checking the token before each.
private func fakeRun(log: Locked<[String: String]>, steps: Int = 20_000) -> WorkerPool.Run {
    { id, token in
        for _ in 0..<steps {
            if token.isCancelled { log.mutate { $0[id] = token.reason == .shutdown ? "shutdown" : "cancelled" }; return }
            usleep(1000)
        }
        log.mutate { $0[id] = "succeeded" }
    }
}

@Test func pool_runsJobsOnAllWorkersAtOnce() throws {
    let queue = JobQueue(capacity: 10)
    let peak = Locked((now: 0, max: 0))
    let pool = WorkerPool(queue: queue, workers: 3) { _, _ in
        peak.mutate { $0.now += 1; $0.max = max($0.max, $0.now) }
        usleep(50_000)
        peak.mutate { $0.now -= 1 }
    }
    pool.start()
    for i in 0..<6 { try queue.enqueue("job_\(i)") }
    let deadline = Date().addingTimeInterval(10)
    while (queue.count > 0 || !pool.runningJobs.isEmpty) && Date() < deadline { usleep(5000) }
    #expect(pool.stop(timeout: 5))
    #expect(peak.value.max == 3)
    #expect(pool.aliveWorkers == 0)
}

@Test func cancel_removesAQueuedJobAndSignalsARunningOne() throws {
    let queue = JobQueue(capacity: 10)
    let log = Locked<[String: String]>([:])
    let pool = WorkerPool(queue: queue, workers: 1, run: fakeRun(log: log))
    pool.start()
    try queue.enqueue("running")
    try queue.enqueue("waiting")
    let deadline = Date().addingTimeInterval(5)
    while pool.runningJobs != ["running"] && Date() < deadline { usleep(1000) }
    #expect(pool.cancel("waiting") == .removedFromQueue)
    #expect(pool.cancel("running") == .signalledRunning)
    #expect(pool.cancel("unknown") == .notActive)
    while log.value["running"] == nil && Date() < deadline { usleep(1000) }
    #expect(log.value == ["running": "cancelled"])
    #expect(pool.stop(timeout: 5))
}

@Test func cancel_neverMissesAJobBeingHandedToAWorker() throws {
    // Race cancel against the queue-to-worker handoff many times: every job is found somewhere.
    let queue = JobQueue(capacity: 100)
    let log = Locked<[String: String]>([:])
    let pool = WorkerPool(queue: queue, workers: 2, run: fakeRun(log: log, steps: 5))
    pool.start()
    var outcomes: [CancelOutcome] = []
    for i in 0..<300 {
        try queue.enqueue("job_\(i)")
        if i % 2 == 0 { usleep(UInt32(i % 7) * 100) }
        outcomes.append(pool.cancel("job_\(i)"))
    }
    #expect(pool.stop(timeout: 10))
    for (i, outcome) in outcomes.enumerated() {
        // notActive only if the job had already run to its end.
        if outcome == .notActive { #expect(log.value["job_\(i)"] == "succeeded") }
        if outcome == .signalledRunning { #expect(log.value["job_\(i)"] != nil) }
        if outcome == .removedFromQueue { #expect(log.value["job_\(i)"] == nil) }
    }
}

@Test func stop_asksRunningJobsToStopForShutdown() throws {
    let queue = JobQueue(capacity: 10)
    let log = Locked<[String: String]>([:])
    let pool = WorkerPool(queue: queue, workers: 2, run: fakeRun(log: log))
    pool.start()
    try queue.enqueue("a")
    try queue.enqueue("b")
    try queue.enqueue("c")
    let deadline = Date().addingTimeInterval(5)
    while pool.runningJobs.count < 2 && Date() < deadline { usleep(1000) }
    #expect(pool.stop(timeout: 5))
    #expect(log.value == ["a": "shutdown", "b": "shutdown"])
    #expect(queue.waiting == ["c"])  // re-queued from the store's report at the next start
}
