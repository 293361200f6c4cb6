// The event-stream side of a connection: writes from any thread, flushing on writability, and noticing
// when the client goes away.
import Foundation

extension Connection {
    /// Frames and sends `data` (a chunk on HTTP/1.1); false once the client is gone or the stream ended.
    func streamWrite(_ data: Data) -> Bool {
        let bytes = streamChunked ? Response.chunk(data) : Array(data)
        lock.lock()
        guard state == .streaming, !streamFinished else {
            lock.unlock()
            return false
        }
        var gone = false
        if pendingOffset == pending.count {
            do {
                let written = try bytes.withUnsafeBytes { try socket.writeAvailable($0) }
                if written < bytes.count {
                    pending = Array(bytes[written...])
                    pendingOffset = 0
                    arm(EventLoop.readable | EventLoop.output)
                }
            } catch {
                gone = true
            }
        } else {
            pending.append(contentsOf: bytes)
            // A client that stops reading must not make us buffer without bound.
            gone = pending.count - pendingOffset > server.options.maxStreamBacklog
        }
        if gone { closeLocked() }
        let stream = self.stream
        lock.unlock()
        if gone { stream?.clientWentAway() }
        return !gone
    }

    /// The handler closed the stream: send the last chunk, then half-close and drain.
    func streamFinish() {
        lock.lock()
        defer { lock.unlock() }
        guard state == .streaming, !streamFinished else { return }
        streamFinished = true
        if streamChunked { pending.append(contentsOf: Response.lastChunk) }
        if !flushLocked() { return closeLocked() }
        if pendingOffset == pending.count { beginDrainLocked() } else { arm(EventLoop.readable | EventLoop.output) }
    }

    /// Loop thread, lock held on entry; releases it.
    func handleStreamEvents(_ events: UInt32) {
        var gone = events & (EventLoop.hup | EventLoop.error | EventLoop.readHangup) != 0
        if !gone && events & EventLoop.input != 0 { gone = dropInput() }
        if !gone && events & EventLoop.output != 0 { gone = !flushLocked() }
        if gone {
            closeLocked()
        } else if streamFinished && pendingOffset == pending.count {
            beginDrainLocked()
        } else {
            arm(EventLoop.readable | (pendingOffset < pending.count ? EventLoop.output : 0))
        }
        let stream = self.stream
        lock.unlock()
        if gone { stream?.clientWentAway() }
    }

    /// Writes queued stream bytes; false on a socket error.
    func flushLocked() -> Bool {
        guard pendingOffset < pending.count else { return true }
        do {
            pendingOffset += try pending.withUnsafeBytes { try socket.writeAvailable(UnsafeRawBufferPointer(rebasing: $0[pendingOffset...])) }
        } catch {
            return false
        }
        if pendingOffset == pending.count {
            pending = []
            pendingOffset = 0
        }
        return true
    }

    /// Server shutdown: ends the stream as if the handler had closed it.
    func endStreamForShutdown() {
        lock.lock()
        let stream = state == .streaming ? self.stream : nil
        lock.unlock()
        stream?.close()
    }
}
