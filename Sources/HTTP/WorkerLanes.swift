// Where handlers run: one shared FIFO drained by a set of serial Dispatch queues ("lanes"). Serial queues
// overcommit in libdispatch, so a lane blocked in a slow handler never delays the others, and any free
// lane takes the next item: a busy or descheduled lane holds no backlog of its own. Idle lanes hold no thread.
import Dispatch
import Foundation

/// Runs closures in FIFO order on up to `count` lanes at once.
final class WorkerLanes: @unchecked Sendable {
    private let queues: [DispatchQueue]
    private let lock = NSLock()
    private var pending: [(() -> Void)?] = []
    private var head = 0
    /// Lanes not draining, most recently used last (reusing a warm thread first).
    private var idle: [Int]

    init(count: Int, label: String) {
        precondition(count > 0)
        queues = (0..<count).map { DispatchQueue(label: "\(label).\($0)") }
        idle = Array((0..<count).reversed())
    }

    /// Queues `work`; wakes an idle lane if there is one, else a running lane takes it when free.
    func async(_ work: @escaping () -> Void) {
        let lane: Int? = lock.withLock {
            pending.append(work)
            return idle.popLast()
        }
        if let lane { queues[lane].async { self.drain(lane) } }
    }

    /// Runs queued work until the queue is empty, then marks the lane idle.
    private func drain(_ lane: Int) {
        while let work = next(lane) { work() }
    }

    private func next(_ lane: Int) -> (() -> Void)? {
        lock.withLock {
            guard head < pending.count else {
                pending.removeAll(keepingCapacity: true)
                head = 0
                idle.append(lane)
                return nil
            }
            let work = pending[head]
            pending[head] = nil
            head += 1
            // Under sustained load the queue may never empty: drop the taken prefix now and then.
            if head >= 1024 && head * 2 >= pending.count {
                pending.removeFirst(head)
                head = 0
            }
            return work
        }
    }
}
