// Writing responses: straight to the socket when it takes them, else queued until epoll reports it writable.
import Foundation

extension Connection {
    /// Writes `bytes` now if the socket takes them, else queues them and arms for output.
    /// True if everything left and `then` says to keep going.
    func write(_ bytes: [UInt8], then next: AfterFlush) -> Bool {
        let written: Int
        do {
            written = try bytes.withUnsafeBytes { try socket.writeAvailable($0) }
        } catch {
            close()
            return false
        }
        if written == bytes.count { return flushed(then: next) }
        lock.lock()
        pending = bytes
        pendingOffset = written
        afterFlush = next
        state = .writing
        deadline = Self.now() + Self.nanoseconds(server.options.writeTimeout)
        arm(EventLoop.output)
        lock.unlock()
        return false
    }

    func resumeWriting() {
        let bytes = pending, offset = pendingOffset
        pending = []
        pendingOffset = 0
        if write(Array(bytes[offset...]), then: afterFlush) { process() }
    }

    func flushed(then next: AfterFlush) -> Bool {
        switch next {
        case .resume:
            requestStarted = Self.now()
            return true
        case .drain:
            lock.lock()
            beginDrainLocked()
            lock.unlock()
            return false
        case let .stream(stream, start):
            lock.lock()
            self.stream = stream
            state = .streaming
            arm(EventLoop.readable)
            lock.unlock()
            start(stream)
            // Shutdown ends streams it finds; this one may have become a stream just after it looked.
            if server.isStopping { stream.close() }
            return false
        }
    }
}
