// An incremental HTTP/1.1 request decoder (RFC 9112): fed bytes in any split, it yields whole requests
// in order. It never touches a socket; the connection appends what it reads and asks for the next request.
import Foundation

/// Decodes a byte stream into requests. After it throws, it stays failed: the connection must close.
public struct RequestParser {
    /// Size limits; exceeding one throws `headerTooLarge` (431), `requestLineTooLong` (414) or `bodyTooLarge` (413).
    public struct Limits: Sendable {
        /// Bytes of request line plus header section, including line endings.
        public var maxHeaderBytes: Int
        /// Bytes of decoded body.
        public var maxBodyBytes: Int
        public init(maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 8 * 1024 * 1024) {
            self.maxHeaderBytes = maxHeaderBytes
            self.maxBodyBytes = maxBodyBytes
        }
    }

    enum State {
        case head
        case fixedBody(RequestHead, length: Int)
        case chunkedBody(RequestHead, ChunkState, body: [UInt8])
    }

    enum ChunkState: Equatable {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailer(bytes: Int)
    }

    public let limits: Limits
    /// Received bytes; `start` marks the first one not yet consumed.
    var buffer: [UInt8] = []
    var start = 0
    /// While looking for the end of the head: where the current line starts and where scanning resumes.
    var lineStart = 0
    var scanned = 0
    var state: State = .head
    private var continueAnswered = false
    private var failure: ParseError?

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Appends received bytes.
    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// Lets `fill` append to the buffer in place (the connection reads the socket straight into it).
    mutating func fill<R>(_ fill: (inout [UInt8]) throws -> R) rethrows -> R {
        try fill(&buffer)
    }

    /// Whether part of a request has arrived (for choosing between the idle and the request timeout).
    public var isMidRequest: Bool {
        if case .head = state { return buffer.count > start }
        return true
    }

    /// True once per request whose head asked `Expect: 100-continue` and whose body has not fully arrived.
    public mutating func shouldSendContinue() -> Bool {
        guard !continueAnswered else { return false }
        switch state {
        case let .fixedBody(head, _), let .chunkedBody(head, _, _):
            guard head.expectsContinue else { return false }
            continueAnswered = true
            return true
        case .head:
            return false
        }
    }

    /// The next complete request, or nil when more bytes are needed.
    public mutating func next() throws -> Request? {
        if let failure { throw failure }
        do {
            return try advance()
        } catch let error as ParseError {
            failure = error
            throw error
        }
    }

    private mutating func advance() throws -> Request? {
        if case .head = state {
            guard let head = try parseHead() else { return nil }
            switch try head.framing(maxBodyBytes: limits.maxBodyBytes) {
            case let .length(length): state = .fixedBody(head, length: length)
            case .chunked: state = .chunkedBody(head, .size, body: [])
            }
        }
        switch state {
        case .head:
            return nil
        case let .fixedBody(head, length):
            guard buffer.count - start >= length else { return nil }
            let body = length == 0 ? Data() : Data(buffer[start..<start + length])
            start += length
            return finish(head, body: body)
        case .chunkedBody(let head, var chunk, var body):
            state = .head  // hand the body array over without a copy while decoding
            let done = try decodeChunks(&chunk, into: &body)
            guard done else {
                state = .chunkedBody(head, chunk, body: body)
                return nil
            }
            return finish(head, body: Data(body))
        }
    }

    private mutating func finish(_ head: RequestHead, body: Data) -> Request {
        state = .head
        continueAnswered = false
        compact()
        return Request(head: head, body: body)
    }

    /// Drops consumed bytes; lets go of a large buffer once it is empty (after a big upload).
    mutating func compact() {
        if start == buffer.count {
            if buffer.capacity > 256 * 1024 { buffer = [] } else { buffer.removeAll(keepingCapacity: true) }
            start = 0
        } else if start > 4096 {
            buffer.removeFirst(start)
            start = 0
        }
        lineStart = start
        scanned = start
    }
}
