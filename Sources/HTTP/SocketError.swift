// Errors of the sockets layer: which libc call failed and the errno it left.
import Glibc

/// A failed socket operation; `errno` is the value libc reported.
public enum SocketError: Error, Equatable, CustomStringConvertible {
    /// A libc call (`"bind"`, `"epoll_ctl"`, …) returned -1 and set `errno`.
    case failed(call: String, errno: Int32)
    /// `getaddrinfo` could not resolve the host (`code` is its EAI_* value).
    case unresolvableHost(String, code: Int32)
    /// The port is outside 0...65535.
    case invalidPort(Int)

    public var description: String {
        switch self {
        case let .failed(call, code):
            return "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        case let .unresolvableHost(host, code):
            return "cannot resolve host '\(host)': \(String(cString: gai_strerror(code)))"
        case let .invalidPort(port):
            return "invalid port \(port): expected 0...65535"
        }
    }

    /// Captures the current `errno` for `call`.
    static func last(_ call: String) -> SocketError { .failed(call: call, errno: errno) }
}
