// One client connection: a state machine driven by the event loop (readiness) and by workers (parsing,
// handling, writing). Exactly one thread works on it at a time; `lock` guards the hand-overs.
import Dispatch
import Foundation

final class Connection: @unchecked Sendable {
    enum State {
        /// Armed for input; nobody works on it.
        case reading
        /// A worker owns it: reading, parsing, running a handler or writing.
        case processing
        /// Armed for output with `pending` bytes; a worker resumes once they are out.
        case writing
        /// An event stream is open; writes come from any thread, the loop flushes and watches for hang-ups.
        case streaming
        /// Our side is shut; input is read and dropped until the client closes or `deadline`.
        case draining
        case closed
    }

    /// What happens once the current write has fully left.
    enum AfterFlush {
        case resume
        case drain
        case stream(EventStream, (EventStream) -> Void)
    }

    let id: UInt64
    let socket: Socket
    let remoteAddress: String
    /// Strong: a worker may still finish a request after `shutdown()` returned and the owner let go of the
    /// server. The cycle ends when the connection closes and unregisters.
    let server: Server
    let lock = NSLock()
    var state = State.reading
    var parser: RequestParser
    var pending: [UInt8] = []
    var pendingOffset = 0
    var afterFlush = AfterFlush.resume
    /// Monotonic nanoseconds after which the sweep closes the connection (in reading, writing or draining).
    var deadline: UInt64
    var requestStarted: UInt64
    var drained = 0
    // Event-stream state.
    var stream: EventStream?
    var streamChunked = false
    var streamFinished = false

    init(id: UInt64, socket: Socket, remoteAddress: String, server: Server) {
        self.id = id
        self.socket = socket
        self.remoteAddress = remoteAddress
        self.server = server
        parser = RequestParser(limits: server.options.parserLimits)
        requestStarted = Self.now()
        deadline = requestStarted + Self.nanoseconds(server.options.idleTimeout)
    }

    // MARK: - Loop thread

    /// Readiness reported by epoll (one-shot, so the registration is disarmed until re-armed).
    func handle(events: UInt32) {
        lock.lock()
        switch state {
        case .reading:
            state = .processing
            lock.unlock()
            process(onLoop: true)
        case .writing:
            state = .processing
            lock.unlock()
            server.workers.async { self.resumeWriting() }
        case .streaming:
            handleStreamEvents(events)  // unlocks
        case .draining:
            if dropInput() { closeLocked() } else { arm(EventLoop.readable) }
            lock.unlock()
        case .processing, .closed:
            lock.unlock()
        }
    }

    /// Called by the sweep: enforces the idle, request, write and linger timeouts.
    func expire(now: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        guard deadline <= now else { return }
        switch state {
        case .reading where parser.isMidRequest:
            _ = try? Self.requestTimeout.withUnsafeBytes { try socket.writeAvailable($0) }
            beginDrainLocked()
        case .reading, .writing, .draining:
            closeLocked()
        case .processing, .streaming, .closed:
            break
        }
    }

    // MARK: - Loop thread or worker

    /// Serves every request that can be completed from the buffer and the socket, then re-arms for input.
    ///
    /// On the loop thread (`onLoop`) it reads a few times and answers the requests whose routes are inline
    /// itself; the first request that needs a worker, more input than `loopReads` reads bring, or more than
    /// `loopRequests` pipelined requests are handed to a worker lane with the rest of the connection's work.
    /// Reading, parsing and writing never block.
    func process(onLoop: Bool = false) {
        var reads = 0, answered = 0
        while true {
            let request: Request?
            do {
                request = try parser.next()
            } catch let error as ParseError {
                let bytes = error.httpError.response.wire(for: .get, keepAlive: false, version: .http11)
                _ = write(bytes, then: .drain)
                return
            } catch {
                return close()
            }
            if var request {
                request.remoteAddress = remoteAddress
                let selection = onLoop ? server.router.select(request) : nil
                if let selection, answered >= Self.loopRequests || !selection.runsInline {
                    return server.workers.async { if self.respond(to: request, selection) { self.process() } }
                }
                answered += 1
                if !respond(to: request, selection) { return }
                continue
            }
            if server.isStopping && !parser.isMidRequest { return close() }
            if parser.shouldSendContinue() {
                if !write(Self.continueLine, then: .resume) { return }
            }
            let wasMidRequest = parser.isMidRequest
            let read: (count: Int, endOfStream: Bool)
            do {
                read = try parser.fill { try socket.readAvailable(into: &$0, limit: 256 * 1024) }
            } catch {
                return close()
            }
            if read.count > 0 {
                reads += 1
                if !wasMidRequest { requestStarted = Self.now() }
                // A client trickling bytes keeps the connection busy between sweeps; check here too.
                if parser.isMidRequest && Self.now() >= requestStarted + Self.nanoseconds(server.options.requestTimeout) {
                    _ = write(Self.requestTimeout, then: .drain)
                    return
                }
                // A large body or a long pipeline: finish it on a worker so other connections keep moving.
                if onLoop && reads >= Self.loopReads { return server.workers.async { self.process() } }
                continue
            }
            if read.endOfStream { return close() }
            lock.lock()
            state = .reading
            deadline = parser.isMidRequest
                ? requestStarted + Self.nanoseconds(server.options.requestTimeout)
                : Self.now() + Self.nanoseconds(server.options.idleTimeout)
            arm(EventLoop.readable)
            lock.unlock()
            return
        }
    }

    /// Runs the router (reusing `selection`, the route already found, if any) and writes its answer; true if
    /// the caller should go on serving this connection.
    func respond(to request: Request, _ selection: Router.Selection? = nil) -> Bool {
        let response = server.router.handle(request, selection: selection)
        let keepAlive = request.keepAlive && !server.isStopping
        switch response.body {
        case .data:
            return write(response.wire(for: request.method, keepAlive: keepAlive, version: request.version),
                         then: keepAlive ? .resume : .drain)
        case let .stream(start):
            let head = response.head(contentLength: nil, keepAlive: false, version: request.version)
            if request.method == .head { return write(head, then: .drain) }
            streamChunked = request.version == .http11
            let stream = EventStream(sink: { [weak self] in self?.streamWrite($0) ?? false },
                                     finish: { [weak self] in self?.streamFinish() })
            return write(head, then: .stream(stream, start))
        }
    }

    /// Reads the loop thread does for one readiness event before it hands the connection to a worker.
    static let loopReads = 4
    /// Requests the loop thread answers for one readiness event: a client pipelining thousands of cheap
    /// requests gets the rest answered by a worker, not by the thread every other connection waits on.
    static let loopRequests = 32

    static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    static var requestTimeout: [UInt8] {
        HTTPError(408, code: "request_timeout", message: "The request did not arrive in time.")
            .response.wire(for: .get, keepAlive: false, version: .http11)
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func nanoseconds(_ seconds: Double) -> UInt64 {
        seconds >= 1e9 ? UInt64.max / 2 : UInt64(max(0, seconds) * 1e9)
    }
}
