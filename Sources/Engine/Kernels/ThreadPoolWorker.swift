// One compute thread of the pool and the parallel region it helps with: chunk claiming by an atomic counter,
// a short yielding spin between regions, then a condition-variable sleep.
import Dispatch
import Foundation
import Synchronization

/// One `parallelFor` call: chunks are claimed by whoever is free, caller and helpers alike. The caller waits
/// for the chunks, not for the helpers: one that wakes up after all chunks are taken finds nothing to do.
final class ParallelRegion: @unchecked Sendable {
    private let chunks: Int
    /// Cleared once every chunk is done: the caller's closure must not outlive its region.
    private var body: ((Int) -> Void)?
    private let next = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)
    /// Signalled by whoever completes the last chunk, for a caller that stopped spinning.
    private let finished = DispatchSemaphore(value: 0)

    init(chunks: Int, body: @escaping (Int) -> Void) {
        self.chunks = chunks
        self.body = body
    }

    /// Runs chunks until none is left to claim.
    func work() {
        while true {
            let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard chunk < chunks else { return }
            body.unsafelyUnwrapped(chunk)
            if completed.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == chunks { finished.signal() }
        }
    }

    /// Waits until every chunk has run: spins (a helper's last chunk usually ends about when the caller's
    /// does), yielding the core now and then so a helper that lost its core to another process can have it,
    /// and sleeps only after about a millisecond: a futex wake-up costs tens of µs, a small gemm less.
    func waitForChunks() {
        var checks = 0
        while completed.load(ordering: .acquiring) < chunks {
            checks += 1
            if checks % 256 == 0 { sched_yield() }
            if checks == 256 * 1000 {
                finished.wait()
                break
            }
        }
        body = nil
    }
}

/// A pool thread: waits for a region, helps run it, returns itself to the pool's idle list.
final class ThreadPoolWorker: @unchecked Sendable {
    let index: Int
    private var region: ParallelRegion?
    private let assigned = Atomic<Bool>(false)
    // Heap-allocated: pthread objects must not move.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Yields before sleeping: about 100 µs here, longer than the gap between two gemms of a step.
    private static let spinYields = 100
    /// Checks of the flag between two yields: a yield is a system call, about a microsecond in this VM.
    private static let checksPerYield = 200

    init(index: Int) {
        self.index = index
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    func start(pool: ThreadPool) {
        let thread = Thread { [self] in self.run(pool: pool) }
        thread.name = "mnistd-compute-\(index)"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Hands this (idle, borrowed) worker a region and wakes it if it sleeps.
    func assign(_ region: ParallelRegion) {
        self.region = region
        assigned.store(true, ordering: .releasing)
        pthread_mutex_lock(mutex)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    private func run(pool: ThreadPool) {
        while true {
            waitForRegion(pool: pool)
            let region = self.region!
            self.region = nil
            assigned.store(false, ordering: .relaxed)
            region.work()
            pool.returnWorker(self)
        }
    }

    private func waitForRegion(pool: ThreadPool) {
        var spins = 0
        // Spinning only pays while a core is free for it; otherwise it would steal time from a busy caller.
        while spins < Self.spinYields && pool.busy.load(ordering: .relaxed) < pool.cores {
            for _ in 0..<Self.checksPerYield where assigned.load(ordering: .acquiring) { return }
            sched_yield()
            spins += 1
        }
        pthread_mutex_lock(mutex)
        while !assigned.load(ordering: .acquiring) {
            pthread_cond_wait(condition, mutex)
        }
        pthread_mutex_unlock(mutex)
    }
}
