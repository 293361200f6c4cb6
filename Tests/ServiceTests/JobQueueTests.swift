// JobQueue: FIFO, bounded with a 429-mapped error, cancellable while waiting, blocking next() that a
// close() releases.
import Foundation
import Testing
@testable import Service

@Test func next_returnsJobsInFIFOOrder() throws {
    let queue = JobQueue(capacity: 10)
    for i in 0..<5 { try queue.enqueue("job_\(i)") }
    #expect((0..<5).map { _ in queue.next()! } == (0..<5).map { "job_\($0)" })
    #expect(queue.count == 0)
}

@Test func enqueue_failsWhenFullWithA429() throws {
    let queue = JobQueue(capacity: 2)
    try queue.enqueue("a")
    try queue.enqueue("b")
    let error = #expect(throws: QueueError.full(capacity: 2)) { try queue.enqueue("c") }
    #expect(error?.apiError.status == 429 && error?.apiError.retryAfter == 5)
    _ = queue.next()
    try queue.enqueue("c")  // room again once a worker took one
    #expect(queue.waiting == ["b", "c"])
    #expect(throws: QueueError.duplicate(id: "c")) { try queue.enqueue("c") }
}

@Test func cancel_removesOnlyWaitingJobs() throws {
    let queue = JobQueue(capacity: 5)
    for id in ["a", "b", "c"] { try queue.enqueue(id) }
    #expect(queue.next() == "a")
    #expect(queue.cancel("b"))
    #expect(!queue.cancel("a"))
    #expect(!queue.cancel("zzz"))
    #expect(queue.waiting == ["c"])
}

@Test func next_blocksUntilAJobArrivesAndCloseReleasesWaiters() throws {
    let queue = JobQueue(capacity: 5)
    let got = Locked<[String?]>([])
    let done = DispatchGroup()
    for _ in 0..<3 {
        DispatchQueue.global().async(group: done) { got.mutate { $0.append(nil) }; let id = queue.next(); got.mutate { $0.append(id) } }
    }
    // Polled rather than slept: on a loaded machine the waiters may start late.
    let deadline = Date().addingTimeInterval(5)
    while got.value.count < 3 && Date() < deadline { usleep(1_000) }
    usleep(20_000)
    try queue.enqueue("x")
    while got.value.compactMap({ $0 }).isEmpty && Date() < deadline { usleep(1_000) }
    usleep(20_000)
    #expect(got.value.compactMap { $0 } == ["x"])
    queue.close()
    #expect(done.wait(timeout: .now() + 5) == .success)
    #expect(got.value.count == 6)
    #expect(throws: QueueError.closed) { try queue.enqueue("y") }
    #expect(QueueError.closed.apiError.status == 503)
}

@Test func queue_staysFIFOAcrossCompaction() throws {
    let queue = JobQueue(capacity: 400)
    var expected = 0
    for i in 0..<1000 {
        try queue.enqueue("j\(i)")
        if i % 3 != 0 { #expect(queue.next() == "j\(expected)"); expected += 1 }
    }
    while let id = queue.waiting.first { #expect(queue.next() == id); expected += 1 }
    #expect(expected == 1000)
}

/// A value shared between test threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func mutate<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&stored) } }
}
