// Limits and timeouts of a server; the defaults suit a small API on a trusted network.

/// Limits (bytes, counts) and timeouts (seconds) of a `Server`.
public struct ServerOptions: Sendable {
    /// Largest request body accepted, decoded; more gets 413.
    public var maxBodyBytes = 8 * 1024 * 1024
    /// Largest request line plus header section; more gets 431 (414 if the request line alone is too long).
    public var maxHeaderBytes = 16 * 1024
    /// Open connections beyond this get a 503 and are closed.
    public var maxConnections = 1024
    /// A keep-alive connection with no request under way is closed after this long.
    public var idleTimeout = 60.0
    /// A request must arrive completely (head and body) within this long of its first byte; else 408 and close.
    /// This is what stops slowloris clients.
    public var requestTimeout = 30.0
    /// A response the client does not read for this long is abandoned and the connection closed.
    public var writeTimeout = 30.0
    /// After the last response, unread input is drained for up to this long before closing, so the client
    /// sees the response rather than a reset.
    public var lingerTimeout = 2.0
    /// `shutdown()` waits this long for requests in flight before closing what is left.
    public var shutdownTimeout = 10.0
    /// Bytes an event stream may queue for a client that does not read before it is dropped.
    public var maxStreamBacklog = 1024 * 1024
    /// Requests handled at once (serial Dispatch queues; each holds a thread only while busy). Slow
    /// handlers delay others only when this many run together.
    public var workerLanes = 16

    public init() {}

    var parserLimits: RequestParser.Limits {
        RequestParser.Limits(maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes)
    }
}
