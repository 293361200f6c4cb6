// A listening TCP socket bound to a host and port (port 0 lets the kernel pick a free one).
import Glibc

/// A bound, listening, non-blocking TCP socket.
struct Listener {
    let socket: Socket
    /// The bound port (the kernel's choice when asked for 0).
    let port: Int

    /// Binds the first address `host` resolves to ("127.0.0.1", "0.0.0.0", "::", "localhost", …).
    static func bind(host: String, port: Int, backlog: Int32 = 1024) throws -> Listener {
        guard (0...65535).contains(port) else { throw SocketError.invalidPort(port) }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &list)
        guard code == 0, let first = list else { throw SocketError.unresolvableHost(host, code: code) }
        defer { freeaddrinfo(list) }

        var lastError = SocketError.unresolvableHost(host, code: EAI_NONAME)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            do {
                let socket = try Socket.stream(family: info.pointee.ai_family)
                do {
                    try socket.setOption(level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
                    try socket.bind(info.pointee.ai_addr, length: info.pointee.ai_addrlen)
                    try socket.listen(backlog: backlog)
                    return Listener(socket: socket, port: try socket.localPort())
                } catch {
                    socket.close()
                    throw error
                }
            } catch let error as SocketError {
                lastError = error
            }
        }
        throw lastError
    }
}
