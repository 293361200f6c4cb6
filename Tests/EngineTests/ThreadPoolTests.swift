// The shared compute pool: every chunk runs exactly once, helpers really run in parallel, and a second
// caller gets no helper while the cores are taken.
import Foundation
import Synchronization
import Testing
@testable import Engine

@Test func parallelFor_runsEveryChunkExactlyOnce() {
    let pool = ThreadPool(cores: 4)
    let counts = Mutex([Int](repeating: 0, count: 1000))
    for _ in 0..<20 {
        pool.parallelFor(chunks: 1000) { chunk in counts.withLock { $0[chunk] += 1 } }
    }
    #expect(counts.withLock { $0.allSatisfy { $0 == 20 } })
}

@Test func parallelFor_reusedRegionsRunEveryChunkOfEveryCallOnce() {
    // Regions are recycled: a helper that wakes late for one call must not run a chunk of the next one, whose
    // body and chunk count differ (an index past the tally would trap, a double run would count 2).
    // Chunks last a few µs so that helpers (which may lose their core to other tests) get some of them.
    let pool = ThreadPool(cores: 3)
    var wrong = 0
    for round in 0..<3000 {
        let chunks = 1 + round % 7
        let counts = Mutex([Int](repeating: 0, count: chunks))
        pool.parallelFor(chunks: chunks) { chunk in
            let start = DispatchTime.now().uptimeNanoseconds
            while DispatchTime.now().uptimeNanoseconds - start < 3000 {}
            counts.withLock { $0[chunk] += 1 }
        }
        if counts.withLock({ $0 }) != [Int](repeating: 1, count: chunks) { wrong += 1 }
    }
    #expect(wrong == 0)
}

@Test func parallelFor_usesBorrowedWorkerThreads() {
    let pool = ThreadPool(cores: 3)
    let threads = Mutex<Set<String>>([])
    // Each chunk waits until three distinct threads have joined, so one thread cannot run them all.
    let arrived = Atomic<Int>(0)
    pool.parallelFor(chunks: 3) { _ in
        threads.withLock { _ = $0.insert(Thread.current.description) }
        arrived.wrappingAdd(1, ordering: .relaxed)
        let deadline = Date().addingTimeInterval(5)
        while arrived.load(ordering: .relaxed) < 3 && Date() < deadline { sched_yield() }
    }
    #expect(threads.withLock { $0.count } == 3)
}

@Test func parallelRegion_grantsNoHelperWhileAnotherCallerHoldsTheCores() {
    let pool = ThreadPool(cores: 2)
    let granted = Atomic<Int>(0)
    // The first caller holds both cores (itself + the one worker) until the second caller has been served.
    pool.parallelRegion(threads: 2, chunkCount: { $0 }) { chunk, _ in
        guard chunk == 0 else { return }
        let second = Thread {
            pool.parallelRegion(threads: 2, chunkCount: { granted.store($0, ordering: .relaxed); return $0 }) { _, _ in }
        }
        second.start()
        let deadline = Date().addingTimeInterval(5)
        while granted.load(ordering: .relaxed) == 0 && Date() < deadline { sched_yield() }
    }
    #expect(granted.load(ordering: .relaxed) == 1)
    // Once the first region is over and its helper has gone back to the pool, a caller gets both cores again.
    var threads = 0
    let deadline = Date().addingTimeInterval(5)
    while threads < 2 && Date() < deadline {
        pool.parallelRegion(threads: 2, chunkCount: { threads = $0; return $0 }) { _, _ in }
        if threads < 2 { usleep(100) }
    }
    #expect(threads == 2)
}

@Test func maxThreads_isClampedToTheCores() {
    let pool = ThreadPool(cores: 2)
    pool.maxThreads = 64
    #expect(pool.maxThreads == 2)
    pool.maxThreads = 0
    #expect(pool.maxThreads == 1)
    var granted = 0
    pool.parallelRegion(threads: 2, chunkCount: { granted = $0; return $0 }) { _, _ in }
    #expect(granted == 1)
}
