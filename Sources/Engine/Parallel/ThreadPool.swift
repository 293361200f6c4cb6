// The process-wide pool of compute threads: cores − 1 workers shared by every caller, lent out per parallel
// region only while cores are free, so concurrent jobs share the machine instead of oversubscribing it.
import Foundation
import Synchronization

/// Design: a caller of `parallelFor` always works on its own thread and counts as one busy core while inside.
/// It borrows idle workers only up to `cores − busy`: one job alone gets every core; two jobs inside gemms at
/// once each run on their own thread. Chunks are claimed from an atomic counter, so a helper that wakes late
/// (or never gets a core) just leaves more chunks to the caller, which waits for chunks, never for an idle
/// helper. Idle workers spin (yielding) briefly before sleeping, because a training step issues gemms back to
/// back and a futex wake-up costs tens of µs here; they do not spin while every core is busy.
public final class ThreadPool: @unchecked Sendable {
    /// The pool every gemm uses: one worker per core beyond the caller's.
    public static let shared = ThreadPool(cores: ProcessInfo.processInfo.activeProcessorCount)

    /// Cores the pool schedules onto (callers plus workers).
    public let cores: Int
    private let workers: [ThreadPoolWorker]
    private let state: Mutex<SchedulerState>
    private let limit: Atomic<Int>
    /// Callers plus lent workers right now; workers read it to decide whether spinning could steal a core.
    let busy = Atomic<Int>(0)

    private struct SchedulerState {
        var idle: [ThreadPoolWorker]
        var busy = 0
        /// Regions not in use, reused so that a parallel call allocates nothing once warm.
        var regions: [ParallelRegion] = []
    }

    /// A pool for `cores` cores (at least 1): starts `cores − 1` worker threads that live as long as the process.
    public init(cores: Int) {
        self.cores = max(1, cores)
        limit = Atomic(self.cores)
        var workers: [ThreadPoolWorker] = []
        for index in 0..<(self.cores - 1) { workers.append(ThreadPoolWorker(index: index)) }
        self.workers = workers
        state = Mutex(SchedulerState(idle: workers))
        for worker in workers { worker.start(pool: self) }
    }

    /// The most threads one parallel region may use (1…cores; `mnistd bench --threads N`, a job's thread count).
    public var maxThreads: Int {
        get { limit.load(ordering: .relaxed) }
        set { limit.store(min(max(1, newValue), cores), ordering: .relaxed) }
    }

    /// Runs `body(chunk)` for every chunk in `0..<chunks`, on the calling thread and on up to `threads − 1`
    /// borrowed workers (`threads` 0 = `maxThreads`). Returns when every chunk has run. The closure is boxed
    /// for the workers (an allocation per call); hot paths hand `parallelRegion` a reused `ParallelTask`.
    public func parallelFor(chunks: Int, threads: Int = 0, _ body: (Int) -> Void) {
        guard chunks > 0 else { return }
        parallelRegion(threads: min(chunks, threads > 0 ? threads : maxThreads),
                       chunkCount: { _ in chunks }) { chunk, _ in body(chunk) }
    }

    /// `parallelRegion(threads:chunkCount:task:)` with a closure for the task (boxed: allocates per call).
    func parallelRegion(threads: Int, chunkCount: (Int) -> Int, _ body: (Int, Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            parallelRegion(threads: threads, chunkCount: chunkCount, task: ClosureTask(body))
        }
    }

    /// Borrows up to `threads − 1` workers, then runs `task.run(chunk:of: count)` for every chunk in
    /// `0..<count`, where `count = chunkCount(threads actually granted)`: work can be split to fit. Allocates
    /// nothing once the pool is warm (regions are reused; the task is the caller's).
    @inline(never)
    func parallelRegion(threads: Int, chunkCount: (Int) -> Int, task: some ParallelTask) {
        let wanted = min(max(1, threads), cores, maxThreads)
        guard let region = borrow(wanted - 1) else {
            defer { giveBack(nil) }
            let count = chunkCount(1)
            for chunk in 0..<count { task.run(chunk: chunk, of: count) }
            return
        }
        defer { giveBack(region) }
        let count = chunkCount(region.helpers.count + 1)
        let generation = region.open(chunks: count, task: task)
        for worker in region.helpers { worker.assign(region, generation: generation) }
        region.work(generation: generation)
        region.waitForChunks()
    }

    /// Counts the caller as busy and claims up to `count` idle workers while cores are free, listed in the
    /// `helpers` of a free region; nil when no worker is free.
    private func borrow(_ count: Int) -> ParallelRegion? {
        state.withLock { state in
            state.busy += 1
            let granted = max(0, min(count, cores - state.busy, state.idle.count))
            var region: ParallelRegion?
            if granted > 0 {
                let lent = state.regions.popLast() ?? ParallelRegion(capacity: cores)
                lent.helpers.removeAll(keepingCapacity: true)
                for _ in 0..<granted { lent.helpers.append(state.idle.removeLast()) }
                state.busy += granted
                region = lent
            }
            busy.store(state.busy, ordering: .relaxed)
            return region
        }
    }

    /// The caller leaves its region (whose helpers may still be returning themselves; they only look at it
    /// again under a newer generation).
    private func giveBack(_ region: ParallelRegion?) {
        state.withLock { state in
            if let region { state.regions.append(region) }
            state.busy -= 1
            busy.store(state.busy, ordering: .relaxed)
        }
    }

    /// A worker finished its part of a region and is idle again.
    func returnWorker(_ worker: ThreadPoolWorker) {
        state.withLock { state in
            state.idle.append(worker)
            state.busy -= 1
            busy.store(state.busy, ordering: .relaxed)
        }
    }
}
