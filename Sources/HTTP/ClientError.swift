// Why a client exchange failed, worded for a one-line report (`mnistd healthcheck` prints it as it is).
import Foundation

/// A failed client exchange; `description` names the peer and what went wrong.
public enum ClientError: Error, Equatable, CustomStringConvertible {
    /// The URL is not `http://host[:port][/path]`.
    case invalidURL(String)
    case unresolvable(host: String, reason: String)
    case connect(peer: String, reason: String)
    /// Sending or reading failed (`reason`: the libc error), or the peer closed before a whole response.
    case io(peer: String, reason: String)
    /// Nothing came back within `seconds`.
    case noAnswer(peer: String, seconds: Double)
    /// Bytes came, then stopped for `seconds` before the response was whole.
    case timedOut(peer: String, seconds: Double)
    /// The first line is not an HTTP status line (quoted, at most 80 characters).
    case notHTTP(peer: String, firstLine: String)
    /// A header line or chunk that does not parse.
    case malformed(peer: String, detail: String)

    public var description: String {
        switch self {
        case let .invalidURL(url): "'\(url)' is not an http://host:port URL"
        case let .unresolvable(host, reason): "cannot resolve '\(host)': \(reason)"
        case let .connect(peer, reason): "cannot connect to \(peer): \(reason)"
        case let .io(peer, reason): "talking to \(peer): \(reason)"
        case let .noAnswer(peer, seconds): "no answer from \(peer) within \(seconds) s"
        case let .timedOut(peer, seconds): "\(peer) stopped answering for \(seconds) s mid-response"
        case let .notHTTP(peer, line): "\(peer) did not answer HTTP: '\(line)'"
        case let .malformed(peer, detail): "\(peer) sent a malformed response: \(detail)"
        }
    }
}
