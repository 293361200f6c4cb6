// GET /jobs/{id}/events: a text/event-stream of the job as it changes. Each `progress` event's data is the
// job's JSON (as GET /jobs/{id}); the stream sends the current state at once, then every change (checked
// four times a second), a keep-alive comment every 15 s, and closes after the job has finished.
import Dispatch
import Foundation
import HTTP

/// One client's event stream of one job.
final class JobEvents: @unchecked Sendable {
    static let pollInterval: DispatchTimeInterval = .milliseconds(250)
    static let keepAliveTicks = 60

    private let store: JobStore
    private let id: String
    // Recursive: closing the stream inside `tick` runs the close handler, which takes the lock again.
    private let lock = NSRecursiveLock()
    private var timer: DispatchSourceTimer?
    private var last: JSONValue?
    private var quietTicks = 0

    init(store: JobStore, id: String) {
        self.store = store
        self.id = id
    }

    func response() -> Response {
        Response.eventStream(headers: ["X-Accel-Buffering": "no"]) { [self] stream in
            let timer = DispatchSource.makeTimerSource(queue: .global())
            lock.withLock { self.timer = timer }
            stream.onClose { [self] in lock.withLock { self.timer?.cancel(); self.timer = nil } }
            timer.schedule(deadline: .now() + JobEvents.pollInterval, repeating: JobEvents.pollInterval)
            timer.setEventHandler { [self] in tick(stream) }
            tick(stream)
            timer.resume()
        }
    }

    /// Sends the job if it changed; closes the stream once the job is finished or gone.
    private func tick(_ stream: EventStream) {
        lock.lock()
        defer { lock.unlock() }
        guard stream.isOpen else { return }
        guard let job = store.job(id) else {
            stream.send("{\"error\":{\"code\":\"not_found\",\"message\":\"the job was deleted\"}}", event: "error")
            return stream.close()
        }
        let current = job.json
        if current != last {
            last = current
            quietTicks = 0
            stream.send(current.text, event: "progress", id: String(job.progress.iteration))
        } else {
            quietTicks += 1
            if quietTicks >= JobEvents.keepAliveTicks {
                quietTicks = 0
                stream.comment("keep-alive")
            }
        }
        if job.state.isFinished { stream.close() }
    }
}
