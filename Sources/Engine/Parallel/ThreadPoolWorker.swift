// One compute thread of the pool and the parallel region it helps with: chunk claiming by an atomic counter,
// a short yielding spin between regions, then a condition-variable sleep.
import Dispatch
import Foundation
import Synchronization

/// One `parallelFor` call at a time: chunks are claimed by whoever is free, caller and helpers alike. The caller
/// waits for the chunks, not for the helpers: one that wakes up after all chunks are taken finds nothing to do.
/// Regions are reused (the pool keeps a free list, so a parallel gemm allocates nothing), hence every use has a
/// generation: a helper told about use g claims chunks only while the region is still at g, so one that wakes
/// late cannot take a chunk of the next use with a stale task.
final class ParallelRegion: @unchecked Sendable {
    /// The generation (high 32 bits) and the next unclaimed chunk (low 32 bits), claimed together.
    private let state = Atomic<Int>(0)
    private let chunks = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)
    /// The caller's task, set while chunks of the current generation are unfinished.
    private var task: (any ParallelTask)?
    /// Signalled by whoever completes the last chunk; the caller consumes it once per use.
    private let finished = DispatchSemaphore(value: 0)
    private var generation = 0
    /// The workers lent for the current use (filled by the pool under its lock; capacity kept).
    var helpers: [ThreadPoolWorker] = []

    init(capacity: Int) { helpers.reserveCapacity(capacity) }

    /// Starts a use of `count` chunks (caller only; the previous use is over). Returns its generation.
    func open(chunks count: Int, task: any ParallelTask) -> Int {
        generation += 1
        self.task = task
        chunks.store(count, ordering: .relaxed)
        completed.store(0, ordering: .relaxed)
        state.store(generation << 32, ordering: .releasing)
        return generation
    }

    /// Runs chunks of use `generation` until none is left to claim.
    func work(generation: Int) {
        while true {
            var current = state.load(ordering: .acquiring)
            var chunk = -1
            while chunk < 0 {
                // A count read after a newer use opened can only make the exchange below fail.
                let count = chunks.load(ordering: .relaxed)
                guard current >> 32 == generation, current & 0xffff_ffff < count else { return }
                let (exchanged, original) = state.compareExchange(
                    expected: current, desired: current + 1, successOrdering: .acquiring, failureOrdering: .acquiring)
                if exchanged { chunk = current & 0xffff_ffff } else { current = original }
            }
            // The use cannot end (nor the task change) before this claimed chunk completes.
            let count = chunks.load(ordering: .relaxed)
            task.unsafelyUnwrapped.run(chunk: chunk, of: count)
            if completed.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == count { finished.signal() }
        }
    }

    /// Waits until every chunk has run: spins (a helper's last chunk usually ends about when the caller's
    /// does), yielding the core now and then so a helper that lost its core to another process can have it,
    /// and sleeps only after about a millisecond: a futex wake-up costs tens of µs, a small gemm less.
    func waitForChunks() {
        let count = chunks.load(ordering: .relaxed)
        var checks = 0
        while completed.load(ordering: .acquiring) < count && checks < 256 * 1000 {
            checks += 1
            if checks % 256 == 0 { sched_yield() }
        }
        // Consume this use's signal (already given, or imminent), so the next use starts from zero.
        finished.wait()
        task = nil
    }
}

/// A pool thread: waits for a region, helps run it, returns itself to the pool's idle list.
final class ThreadPoolWorker: @unchecked Sendable {
    let index: Int
    private var region: ParallelRegion?
    private var generation = 0
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

    /// Hands this (idle, borrowed) worker use `generation` of a region and wakes it if it sleeps.
    func assign(_ region: ParallelRegion, generation: Int) {
        self.region = region
        self.generation = generation
        assigned.store(true, ordering: .releasing)
        pthread_mutex_lock(mutex)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    private func run(pool: ThreadPool) {
        while true {
            waitForRegion(pool: pool)
            let region = self.region!, generation = self.generation
            self.region = nil
            assigned.store(false, ordering: .relaxed)
            region.work(generation: generation)
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
