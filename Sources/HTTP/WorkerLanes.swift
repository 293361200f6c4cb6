// Where handlers run: a set of serial Dispatch queues ("lanes"), each given work only when it is the least
// busy. Serial queues are overcommitting in libdispatch, so a lane blocked in a slow handler never delays
// work placed on another lane, and idle lanes hold no thread.
import Dispatch
import Foundation

/// Runs closures on the least busy of `count` serial queues.
final class WorkerLanes: @unchecked Sendable {
    private let queues: [DispatchQueue]
    private let lock = NSLock()
    private var busy: [Int]

    init(count: Int, label: String) {
        precondition(count > 0)
        queues = (0..<count).map { DispatchQueue(label: "\(label).\($0)") }
        busy = Array(repeating: 0, count: count)
    }

    /// Runs `work` on an idle lane if there is one (the lowest-numbered, so light load uses few threads),
    /// else on the one with the shortest backlog.
    func async(_ work: @escaping () -> Void) {
        let lane: Int = lock.withLock {
            var best = 0
            for index in busy.indices {
                if busy[index] == 0 { best = index; break }
                if busy[index] < busy[best] { best = index }
            }
            busy[best] += 1
            return best
        }
        queues[lane].async {
            work()
            self.lock.withLock { self.busy[lane] -= 1 }
        }
    }
}
