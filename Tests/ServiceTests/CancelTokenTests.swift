// CancelToken: one-way, first reason wins, visible across threads.
import Foundation
import Testing
@testable import Service

@Test func cancel_isOneWayAndKeepsTheFirstReason() {
    let token = CancelToken()
    #expect(!token.isCancelled && token.reason == nil)
    token.cancel(.shutdown)
    token.cancel(.cancelled)
    #expect(token.isCancelled && token.reason == .shutdown)
}

@Test func cancel_fromAnotherThreadStopsALoopThatChecksEachStep() {
    let token = CancelToken()
    let steps = Locked(0)
    let done = DispatchSemaphore(value: 0)
    Thread {
        while !token.isCancelled { steps.mutate { $0 += 1 }; usleep(100) }
        done.signal()
    }.start()
    usleep(20_000)
    token.cancel()
    #expect(done.wait(timeout: .now() + 5) == .success)
    #expect(steps.value > 0)
}
