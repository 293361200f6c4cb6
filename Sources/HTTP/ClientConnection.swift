// One client connection over a non-blocking socket, every wait a poll bounded by the read timeout and an
// optional deadline for the whole exchange. It sends whatever bytes it is given, malformed ones included,
// so the server's tests can speak broken HTTP; reading responses is in ClientConnection+Reading.
import Foundation
import Glibc

/// A blocking HTTP/1.1 client connection (one thread at a time).
public final class ClientConnection {
    /// `host:port` (or `[v6]:port`) for error messages and the `Host` header.
    public let peer: String
    let socket: Socket
    /// Longest wait for one read, write or the connect; `deadline` (if set) bounds them all.
    public var timeout: Double
    public var deadline: Date?
    /// Received bytes not yet consumed by a response.
    var buffer: [UInt8] = []
    private var isClosed = false

    /// Connects to `host` (a name, IPv4 or IPv6 address, without brackets) at `port`, trying each address
    /// `getaddrinfo` gives until one answers within `timeout`.
    public convenience init(host: String, port: Int, timeout: Double = 5, deadline: Date? = nil) throws {
        let peer = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let until = ClientConnection.earlier(Date().addingTimeInterval(timeout), deadline)
        let socket = try ClientConnection.connect(host: host, port: port, peer: peer, until: until, timeout: timeout)
        self.init(socket: socket, peer: peer, timeout: timeout, deadline: deadline)
    }

    /// Takes over an already connected descriptor (one end of a socketpair); closing it is this object's job.
    public convenience init(fd: Int32, timeout: Double = 5) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        self.init(socket: Socket(fd: fd), peer: "fd \(fd)", timeout: timeout, deadline: nil)
    }

    private init(socket: Socket, peer: String, timeout: Double, deadline: Date?) {
        self.socket = socket
        self.peer = peer
        self.timeout = timeout
        self.deadline = deadline
    }

    deinit { close() }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        socket.close()
    }

    /// Writes `bytes` as they are; throws when the peer is gone or takes nothing within the timeout.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written: Int
                do { written = try socket.writeAvailable(UnsafeRawBufferPointer(rebasing: buffer[offset...])) } catch {
                    throw ClientError.io(peer: peer, reason: "\(error)")
                }
                offset += written
                if offset < buffer.count, !wait(for: Int16(POLLOUT)) {
                    throw ClientError.timedOut(peer: peer, seconds: timeout)
                }
            }
        }
    }

    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Half-closes: the server reads end-of-stream, and this side can still read its answer.
    public func shutdownWrite() { socket.shutdownWrite() }

    /// Whether a read would return data or end-of-stream within `seconds`.
    public func isReadable(within seconds: Double) -> Bool {
        if !buffer.isEmpty { return true }
        var entry = pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, Int32(seconds * 1000)) > 0
    }

    /// Polls for `events` until the timeout or the deadline, whichever is first; false when neither came.
    func wait(for events: Int16) -> Bool {
        let until = ClientConnection.earlier(Date().addingTimeInterval(timeout), deadline)
        while true {
            let remaining = Int32(max(0, until.timeIntervalSinceNow * 1000).rounded(.up))
            var entry = pollfd(fd: socket.fd, events: events, revents: 0)
            let ready = poll(&entry, 1, remaining)
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }

    static func earlier(_ date: Date, _ other: Date?) -> Date { other.map { min($0, date) } ?? date }
}
