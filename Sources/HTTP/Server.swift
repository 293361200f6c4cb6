// The HTTP server: a listener and an epoll loop thread that accepts and dispatches readiness, a concurrent
// set of worker lanes that parse requests and run handlers, and a sweep that enforces timeouts.
import Dispatch
import Foundation
import Glibc

/// Serves a `Router` over HTTP/1.1. `start()` returns once the port accepts connections.
public final class Server: @unchecked Sendable {
    public let host: String
    public let router: Router
    public let options: ServerOptions
    /// The requested port until `start()`, then the bound one.
    public private(set) var port: Int

    let workers: WorkerLanes
    let loop: EventLoop
    private let lock = NSLock()
    private var listener: Listener?
    private var connections: [UInt64: Connection] = [:]
    private var nextID: UInt64 = 1
    private var stopping = false
    private var loopRunning = false
    private var acceptPaused = false
    private let loopExited = DispatchSemaphore(value: 0)
    private let stopped = DispatchGroup()
    var signalSources: [DispatchSourceSignal] = []
    static let listenerID: UInt64 = 0

    public init(host: String = "127.0.0.1", port: Int = 8080, router: Router, options: ServerOptions = ServerOptions()) {
        self.host = host
        self.port = port
        self.router = router
        self.options = options
        workers = WorkerLanes(count: options.workerLanes, label: "http.worker")
        loop = EventLoop()
    }

    /// Binds, starts the loop thread and returns the bound port (the kernel's pick when `port` was 0).
    @discardableResult
    public func start() throws -> Int {
        precondition(lock.withLock { self.listener == nil && !stopping }, "start() is called once, before shutdown()")
        if let error = loop.setupError { throw error }
        let listener = try Listener.bind(host: host, port: port)
        do {
            try loop.add(persistent: listener.socket.fd, id: Self.listenerID, events: EventLoop.input)
        } catch {
            listener.socket.close()
            throw error
        }
        lock.withLock {
            self.listener = listener
            port = listener.port
            loopRunning = true
        }
        stopped.enter()
        let thread = Thread { [self] in runLoop() }
        thread.name = "http.loop"
        thread.start()
        return listener.port
    }

    /// Whether `shutdown()` has begun.
    public var isStopping: Bool { lock.withLock { stopping } }

    /// Open connections, including ones being drained.
    public var connectionCount: Int { lock.withLock { connections.count } }

    /// Graceful stop: no new connections, idle ones closed, requests in flight finished (up to
    /// `options.shutdownTimeout`), event streams ended. Returns when the loop has stopped. Idempotent.
    public func shutdown() {
        let (first, listener, snapshot) = lock.withLock { () -> (Bool, Listener?, [Connection]) in
            defer { stopping = true }
            return (!stopping, self.listener, Array(connections.values))
        }
        guard first else { return stopped.wait() }
        guard let listener else { return }  // never started
        loop.remove(fd: listener.socket.fd)
        listener.socket.close()
        for connection in snapshot { connection.shutdownGracefully() }
        let deadline = Date().addingTimeInterval(options.shutdownTimeout)
        while connectionCount > 0 && Date() < deadline { usleep(5_000) }
        for connection in lock.withLock({ Array(connections.values) }) { connection.forceClose() }
        lock.withLock { loopRunning = false }
        loop.wake()
        loopExited.wait()
        stopped.leave()
    }

    /// Blocks until the server has shut down (after `shutdown()` or a signal).
    public func wait() {
        stopped.wait()
    }

    // MARK: - Loop thread

    private func runLoop() {
        ThreadName.setCurrent("http.loop")
        var nextSweep = Connection.now()
        while lock.withLock({ loopRunning }) {
            do {
                try loop.wait(timeout: 100) { id, events in
                    if id == Self.listenerID {
                        acceptAll()
                    } else if let connection = lock.withLock({ connections[id] }) {
                        connection.handle(events: events)
                    }
                }
            } catch {
                FileHandle.standardError.write(Data("http: \(error)\n".utf8))
            }
            let now = Connection.now()
            if now >= nextSweep {
                sweep(now: now)
                nextSweep = now + 100_000_000
            }
        }
        loopExited.signal()
    }

    private func acceptAll() {
        guard let listener = lock.withLock({ stopping ? nil : self.listener }) else { return }
        while true {
            let accepted: (Socket, String)?
            do {
                accepted = try listener.socket.accept()
            } catch {
                // EMFILE and friends: the listener stays readable, so stop watching it until the next sweep.
                loop.remove(fd: listener.socket.fd)
                lock.withLock { acceptPaused = true }
                return
            }
            guard let (socket, peer) = accepted else { return }
            adopt(socket, remoteAddress: peer)
        }
    }

    /// Takes ownership of a connected, non-blocking socket (tests hand it one end of a socketpair).
    func adopt(_ socket: Socket, remoteAddress: String) {
        // Small responses must not wait for Nagle's algorithm (IPPROTO_TCP = 6, TCP_NODELAY = 1).
        try? socket.setOption(level: 6, name: 1, value: 1)
        let (connection, overflow) = lock.withLock { () -> (Connection, Int) in
            let connection = Connection(id: nextID, socket: socket, remoteAddress: remoteAddress, server: self)
            nextID += 1
            connections[connection.id] = connection
            return (connection, connections.count - options.maxConnections)
        }
        // Past the limit by a little: a 503 and a drain; by a lot: a 503 and a close, to bound the work.
        if overflow > 0 && !connection.rejectOverloaded(drain: overflow <= 64) { return }
        do {
            try loop.add(fd: socket.fd, id: connection.id, events: EventLoop.readable)
        } catch {
            connection.close()
        }
    }

    func unregister(_ id: UInt64) {
        lock.withLock { _ = connections.removeValue(forKey: id) }
    }

    private func sweep(now: UInt64) {
        let (snapshot, resume) = lock.withLock { () -> ([Connection], Listener?) in
            defer { acceptPaused = false }
            return (Array(connections.values), acceptPaused && !stopping ? listener : nil)
        }
        for connection in snapshot { connection.expire(now: now) }
        if let resume { try? loop.add(persistent: resume.socket.fd, id: Self.listenerID, events: EventLoop.input) }
    }
}
