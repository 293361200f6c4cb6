// How a connection ends outside the request cycle: overload rejection and server shutdown.
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
}
