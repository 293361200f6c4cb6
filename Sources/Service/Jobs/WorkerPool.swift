// N worker threads, each taking the next job from the JobQueue and running it through a closure the
// wiring supplies (the Trainer). Cancelling finds the job wherever it is: waiting (removed) or running
// (its token is set and the loop stops at the next minibatch).
import Foundation

/// Where `cancel` found a job.
public enum CancelOutcome: Equatable, Sendable {
    /// It was waiting and is removed from the queue: mark it `cancelled` now.
    case removedFromQueue
    /// It is running: its token is set; the run closure returns soon and should record `cancelled`.
    case signalledRunning
    /// Neither waiting nor running (finished or unknown).
    case notActive
}

/// Runs queued jobs on `workers` threads.
public final class WorkerPool: @unchecked Sendable {
    /// Runs one job to its end. Called on a worker thread; must check `token` every minibatch.
    public typealias Run = @Sendable (_ jobID: String, _ token: CancelToken) -> Void

    /// Called after a job's run returned and it left the running set (so it may be queued again from here).
    public typealias Done = @Sendable (_ jobID: String) -> Void

    public let queue: JobQueue
    public let workers: Int
    private let run: Run
    private let done: Done
    private let lock = NSLock()
    private var running: [String: CancelToken] = [:]
    private var alive = 0
    private let finished = DispatchGroup()

    public init(queue: JobQueue, workers: Int, run: @escaping Run, done: @escaping Done = { _ in }) {
        precondition(workers >= 1, "a pool needs at least one worker")
        self.queue = queue
        self.workers = workers
        self.run = run
        self.done = done
    }

    /// Starts the worker threads.
    public func start() {
        for index in 0..<workers {
            finished.enter()
            lock.withLock { alive += 1 }
            let thread = Thread { [self] in
                var token = CancelToken()
                // Registered while the queue still holds the job: a cancel never finds it in neither place.
                while let id = queue.next({ id in
                    token = CancelToken()
                    lock.withLock { running[id] = token }
                }) {
                    run(id, token)
                    lock.withLock { _ = running.removeValue(forKey: id) }
                    done(id)
                }
                lock.withLock { alive -= 1 }
                finished.leave()
            }
            thread.name = "mnistd-worker-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Worker threads still looping (for `/healthz`).
    public var aliveWorkers: Int { lock.withLock { alive } }

    /// Ids of the jobs running now.
    public var runningJobs: [String] { lock.withLock { Array(running.keys) } }

    /// Cancels a job wherever it is.
    public func cancel(_ id: String) -> CancelOutcome {
        if queue.cancel(id) { return .removedFromQueue }
        guard let token = lock.withLock({ running[id] }) else { return .notActive }
        token.cancel(.cancelled)
        return .signalledRunning
    }

    /// Closes the queue, asks running jobs to stop for shutdown, and waits up to `timeout` seconds for
    /// the workers to exit. Returns true when all exited.
    @discardableResult
    public func stop(timeout: TimeInterval) -> Bool {
        queue.close()
        lock.withLock { running.values.forEach { $0.cancel(.shutdown) } }
        return finished.wait(timeout: .now() + timeout) == .success
    }
}
