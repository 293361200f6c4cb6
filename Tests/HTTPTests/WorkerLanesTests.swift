// The worker lanes: FIFO order on one lane, and a blocked lane never delays work another lane can take.
import Foundation
import Testing
@testable import HTTP

@Test func workerLanes_runWorkInSubmissionOrderOnOneLane() {
    let lanes = WorkerLanes(count: 1, label: "test.fifo")
    let log = OrderLog()
    let done = DispatchSemaphore(value: 0)
    for index in 0..<100 {
        lanes.async {
            log.append(String(index))
            if index == 99 { done.signal() }
        }
    }
    #expect(done.wait(timeout: .now() + 5) == .success)
    #expect(log.entries == (0..<100).map(String.init))
}

@Test func workerLanes_keepServingWhileSomeLanesAreBlocked() {
    let lanes = WorkerLanes(count: 4, label: "test.blocked")
    let release = DispatchSemaphore(value: 0)
    let started = DispatchSemaphore(value: 0)
    for _ in 0..<3 {
        lanes.async {
            started.signal()
            release.wait()
        }
    }
    for _ in 0..<3 { #expect(started.wait(timeout: .now() + 2) == .success) }
    let quick = DispatchSemaphore(value: 0)
    let asked = Date()
    lanes.async { quick.signal() }
    #expect(quick.wait(timeout: .now() + 1) == .success)
    #expect(Date().timeIntervalSince(asked) < 0.1)
    for _ in 0..<3 { release.signal() }
}

@Test func workerLanes_queueWorkBeyondTheirCountAndRunItAll() {
    let lanes = WorkerLanes(count: 2, label: "test.many")
    let group = DispatchGroup()
    let counter = OrderLog()
    for index in 0..<5_000 {
        group.enter()
        lanes.async {
            if index % 1000 == 0 { usleep(1_000) }
            counter.append("x")
            group.leave()
        }
    }
    #expect(group.wait(timeout: .now() + 10) == .success)
    #expect(counter.entries.count == 5_000)
}
