// Every libc call of the server, each behind one thin wrapper that retries EINTR and turns -1 into SocketError.
import Glibc

extension Socket {
    // MARK: - Creating

    /// A non-blocking, close-on-exec stream socket of `family` (AF_INET or AF_INET6).
    static func stream(family: Int32) throws -> Socket {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = Glibc.socket(family, type, 0)
        guard fd >= 0 else { throw SocketError.last("socket") }
        return Socket(fd: fd)
    }

    /// A connected pair of non-blocking Unix stream sockets (tests use it instead of ports).
    static func pair() throws -> (Socket, Socket) {
        var fds: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { throw SocketError.last("socketpair") }
        return (Socket(fd: fds[0]), Socket(fd: fds[1]))
    }

    // MARK: - Options and addresses

    func setOption(level: Int32, name: Int32, value: Int32) throws {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SocketError.last("setsockopt")
        }
    }

    func bind(_ address: UnsafePointer<sockaddr>, length: socklen_t) throws {
        guard Glibc.bind(fd, address, length) == 0 else { throw SocketError.last("bind") }
    }

    func listen(backlog: Int32) throws {
        guard Glibc.listen(fd, backlog) == 0 else { throw SocketError.last("listen") }
    }

    /// The port the socket is bound to (IPv4 or IPv6).
    func localPort() throws -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard ok == 0 else { throw SocketError.last("getsockname") }
        return withUnsafeBytes(of: storage) { raw -> Int in
            // sin_port and sin6_port sit at the same offset, in network byte order.
            let port = raw.load(fromByteOffset: 2, as: UInt16.self)
            return Int(UInt16(bigEndian: port))
        }
    }

    // MARK: - Accepting

    /// Accepts one pending connection as a non-blocking socket with its peer's address; nil when none is pending.
    func accept() throws -> (Socket, String)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        while true {
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(self.fd, $0, &length) }
            }
            if fd >= 0 {
                // accept4 needs _GNU_SOURCE, which the Glibc module lacks: set the flags afterwards.
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                return (Socket(fd: fd), Socket.describe(storage))
            }
            switch errno {
            case EINTR, ECONNABORTED: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw SocketError.last("accept")
            }
        }
    }

    /// "host:port" of an IPv4 or IPv6 address; "unix" for anything else.
    static func describe(_ storage: sockaddr_storage) -> String {
        var storage = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { addr -> String in
                    var ip = addr.pointee.sin_addr
                    inet_ntop(AF_INET, &ip, &text, socklen_t(text.count))
                    return "\(String(cString: text)):\(UInt16(bigEndian: addr.pointee.sin_port))"
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { addr -> String in
                    var ip = addr.pointee.sin6_addr
                    inet_ntop(AF_INET6, &ip, &text, socklen_t(text.count))
                    return "[\(String(cString: text))]:\(UInt16(bigEndian: addr.pointee.sin6_port))"
                }
            }
        default:
            return "unix"
        }
    }

    // MARK: - Reading and writing

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> ReadResult {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .endOfStream }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: throw SocketError.last("read")
            }
        }
    }

    /// `send` with MSG_NOSIGNAL, so a vanished peer is an EPIPE error rather than a SIGPIPE.
    func write(_ bytes: UnsafeRawBufferPointer) throws -> WriteResult {
        while true {
            let n = send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .bytes(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: throw SocketError.last("send")
            }
        }
    }

    /// Half-closes the socket: the peer reads end-of-stream, and we can still read what it sends.
    func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    func close() {
        _ = Glibc.close(fd)
    }
}
