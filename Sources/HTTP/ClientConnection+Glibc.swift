// Resolving and connecting for the client: getaddrinfo, then a non-blocking connect per address awaited
// with poll, so a closed port fails at once and a black hole fails at the timeout.
import Foundation
import Glibc

extension ClientConnection {
    static func connect(host: String, port: Int, peer: String, until: Date, timeout: Double) throws -> Socket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            throw ClientError.unresolvable(host: host, reason: String(cString: gai_strerror(resolved)))
        }
        defer { freeaddrinfo(first) }
        var lastError = "no address"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let socket: Socket
            do { socket = try Socket.stream(family: info.pointee.ai_family) } catch {
                lastError = "\(error)"
                continue
            }
            if Glibc.connect(socket.fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return socket }
            let connectError = errno
            if connectError != EINPROGRESS {
                lastError = String(cString: strerror(connectError))
            } else if waitWritable(socket.fd, until: until) {
                var soError: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(socket.fd, SOL_SOCKET, SO_ERROR, &soError, &length)
                if soError == 0 { return socket }
                lastError = String(cString: strerror(soError))
            } else {
                lastError = "timed out after \(timeout) s"
            }
            socket.close()
        }
        throw ClientError.connect(peer: peer, reason: lastError)
    }

    private static func waitWritable(_ fd: Int32, until: Date) -> Bool {
        while true {
            let remaining = Int32(max(0, until.timeIntervalSinceNow * 1000).rounded(.up))
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&entry, 1, remaining)
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }
}
