// How a connection ends: closing, half-close and drain, overload rejection and server shutdown.
import Glibc

extension Connection {
    /// Over `maxConnections`, before the socket is registered: answer 503 at once, then either close or
    /// (when `drain`) half-close and wait in `draining`. Returns `drain`.
    func rejectOverloaded(drain: Bool) -> Bool {
        let error = HTTPError(503, code: "too_many_connections", message: "The server has too many open connections.",
                              headers: ["Retry-After": "1"])
        let bytes = error.response.wire(for: .get, keepAlive: false, version: .http11)
        lock.lock()
        defer { lock.unlock() }
        _ = try? bytes.withUnsafeBytes { try socket.writeAvailable($0) }
        guard drain else {
            closeLocked()
            return false
        }
        socket.shutdownWrite()
        state = .draining
        deadline = Connection.now() + Connection.nanoseconds(server.options.lingerTimeout)
        return true
    }

    /// Shutdown began: close if idle, end an event stream; anything under way finishes with `Connection: close`.
    func shutdownGracefully() {
        lock.lock()
        if state == .reading && !parser.isMidRequest { closeLocked() }
        lock.unlock()
        endStreamForShutdown()
    }

    /// The shutdown grace period is over. A worker may still hold the socket: shut it down under the
    /// worker (its next read or write fails and it closes), but never close a descriptor it may use.
    func forceClose() {
        lock.lock()
        defer { lock.unlock() }
        if state == .processing {
            _ = Glibc.shutdown(socket.fd, Int32(SHUT_RDWR))
        } else {
            closeLocked()
        }
    }

    // MARK: - Closing

    func close() {
        lock.lock()
        closeLocked()
        lock.unlock()
    }

    func closeLocked() {
        guard state != .closed else { return }
        state = .closed
        server.loop.remove(fd: socket.fd)
        socket.close()
        server.unregister(id)
    }

    /// Half-closes and drains, so the client reads our last response instead of a reset (RFC 9112 §9.6).
    func beginDrainLocked() {
        socket.shutdownWrite()
        state = .draining
        deadline = Self.now() + Self.nanoseconds(min(server.options.lingerTimeout, server.isStopping ? 0.5 : .infinity))
        arm(EventLoop.readable)
    }

    /// Reads and drops what is buffered; true when the client is done (end of stream, error, or too much).
    func dropInput() -> Bool {
        var scratch: [UInt8] = []
        guard let read = try? socket.readAvailable(into: &scratch, limit: 64 * 1024) else { return true }
        drained += read.count
        return read.endOfStream || drained > 1024 * 1024
    }

    func arm(_ events: UInt32) {
        do {
            try server.loop.rearm(fd: socket.fd, id: id, events: events)
        } catch {
            closeLocked()
        }
    }
}
