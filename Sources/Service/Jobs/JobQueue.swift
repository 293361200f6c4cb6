// The bounded FIFO of jobs waiting for a worker. `enqueue` fails fast when full (429 + Retry-After);
// workers block in `next()`; queued jobs can be cancelled; `close()` wakes every worker to exit.
import Foundation

/// Why a job could not be queued.
public enum QueueError: Error, Equatable, Sendable {
    case full(capacity: Int)
    case closed
    case duplicate(id: String)

    /// The client-visible error: 429 with `Retry-After` when full, 503 when shutting down.
    public var apiError: APIError {
        switch self {
        case .full(let capacity): return .queueFull(capacity: capacity, retryAfter: 5)
        case .closed: return .unavailable("the service is shutting down", retryAfter: 5)
        case .duplicate(let id): return .conflict("job '\(id)' is already queued")
        }
    }
}

/// A thread-safe bounded FIFO of job ids.
public final class JobQueue: @unchecked Sendable {
    /// Most jobs that may wait at once (running jobs do not count).
    public let capacity: Int
    private let condition = NSCondition()
    private var items: [String] = []
    private var head = 0
    private var closed = false

    public init(capacity: Int) {
        precondition(capacity >= 1, "a queue needs room for one job")
        self.capacity = capacity
    }

    /// Jobs waiting now.
    public var count: Int { condition.withLock { items.count - head } }

    /// Ids waiting, in the order workers will take them.
    public var waiting: [String] { condition.withLock { Array(items[head...]) } }

    /// Appends a job; throws `QueueError.full` when `capacity` jobs wait already. `overCapacity` admits it
    /// anyway: a job the queue accepted before, coming back after a pause (a sweep's rung), keeps its place.
    public func enqueue(_ id: String, overCapacity: Bool = false) throws {
        try condition.withLock {
            guard !closed else { throw QueueError.closed }
            guard !items[head...].contains(id) else { throw QueueError.duplicate(id: id) }
            guard overCapacity || items.count - head < capacity else { throw QueueError.full(capacity: capacity) }
            items.append(id)
            condition.signal()
        }
    }

    /// Blocks until a job is waiting and takes the oldest; nil once the queue is closed. `onTake` runs
    /// under the queue's lock, so whoever records the job as running does so before it leaves the queue.
    public func next(_ onTake: (String) -> Void = { _ in }) -> String? {
        condition.withLock {
            while head == items.count && !closed { condition.wait() }
            guard !closed, head < items.count else { return nil }
            let id = items[head]
            onTake(id)
            head += 1
            // Compact now and then, so a long-lived queue does not grow without bound.
            if head > 64 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            return id
        }
    }

    /// Removes a waiting job; returns false when it was not waiting (running, finished or unknown).
    @discardableResult
    public func cancel(_ id: String) -> Bool {
        condition.withLock {
            guard let index = items[head...].firstIndex(of: id) else { return false }
            items.remove(at: index)
            return true
        }
    }

    /// Stops handing out jobs and wakes every blocked `next()`; waiting ids stay listed in `waiting`.
    public func close() {
        condition.withLock {
            closed = true
            condition.broadcast()
        }
    }
}
