// Server-sent events (HTML Living Standard §9.2): a writer a handler keeps to send events over time, and
// learn when the client has gone.
import Foundation

/// One open `text/event-stream`. Thread-safe; every method may be called from any thread.
public final class EventStream: @unchecked Sendable {
    private let lock = NSLock()
    private let sink: (Data) -> Bool
    private let finish: () -> Void
    private var open = true
    private var closeHandlers: [() -> Void] = []

    /// `sink` delivers bytes and returns false once they can no longer be delivered; `finish` ends the
    /// stream from the server side. The server builds these; tests can build one over an array.
    public init(sink: @escaping (Data) -> Bool, finish: @escaping () -> Void = {}) {
        self.sink = sink
        self.finish = finish
    }

    /// False once the client went away or the stream was closed.
    public var isOpen: Bool { lock.withLock { open } }

    /// Sends one event; multi-line `data` becomes several `data:` lines. Returns false if the client is gone.
    @discardableResult
    public func send(_ data: String, event: String? = nil, id: String? = nil) -> Bool {
        var text = ""
        if let id { text += "id: \(Self.singleLine(id))\n" }
        if let event { text += "event: \(Self.singleLine(event))\n" }
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
            text += "data: \(line.hasSuffix("\r") ? line.dropLast() : line)\n"
        }
        return write(text + "\n")
    }

    /// Sends a comment line (": text"), which clients ignore: a keep-alive through proxies.
    @discardableResult
    public func comment(_ text: String = "") -> Bool {
        write(": \(Self.singleLine(text))\n\n")
    }

    /// Registers `handler` to run once when the stream ends, by either side; at once if it already has.
    public func onClose(_ handler: @escaping () -> Void) {
        let closed: Bool = lock.withLock {
            if open { closeHandlers.append(handler) }
            return !open
        }
        if closed { handler() }
    }

    /// Ends the stream and closes the connection.
    public func close() {
        guard markClosed() else { return }
        finish()
    }

    /// Called by the connection when the client is gone.
    func clientWentAway() {
        _ = markClosed()
    }

    private func write(_ text: String) -> Bool {
        guard isOpen else { return false }
        if sink(Data(text.utf8)) { return true }
        _ = markClosed()
        return false
    }

    /// Flips to closed and runs the handlers once; false if it was closed already.
    private func markClosed() -> Bool {
        let handlers: [() -> Void]? = lock.withLock {
            guard open else { return nil }
            open = false
            defer { closeHandlers = [] }
            return closeHandlers
        }
        guard let handlers else { return false }
        handlers.forEach { $0() }
        return true
    }

    private static func singleLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }
}
