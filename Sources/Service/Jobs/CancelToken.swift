// The flag a running job's training loop checks once per minibatch; set by `POST /jobs/{id}/cancel`
// or by shutdown.
import Foundation

/// A one-way cancellation flag, cheap to read from a hot loop.
public final class CancelToken: @unchecked Sendable {
    /// Why the job should stop.
    public enum Reason: Equatable, Sendable {
        /// A client cancelled it: the job ends `cancelled`.
        case cancelled
        /// The service is stopping: the job stays `running` on disk and resumes from its checkpoint.
        case shutdown
    }

    private let lock = NSLock()
    private var storedReason: Reason?

    public init() {}

    /// True once cancelled; the training loop stops at the next minibatch.
    public var isCancelled: Bool { lock.withLock { storedReason != nil } }

    /// The first reason given, nil while not cancelled.
    public var reason: Reason? { lock.withLock { storedReason } }

    /// Requests a stop; the first reason wins.
    public func cancel(_ reason: Reason = .cancelled) {
        lock.withLock {
            if storedReason == nil { storedReason = reason }
        }
    }
}
