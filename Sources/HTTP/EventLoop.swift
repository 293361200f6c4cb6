// The epoll loop: one thread waits for readiness of every socket and hands each event to a callback.
import Foundation
import Glibc

/// An epoll instance plus a pipe to wake it. Connection registrations are one-shot: after an event the
/// socket stays silent until re-armed, so exactly one thread works on a connection at a time.
final class EventLoop: @unchecked Sendable {
    // <sys/epoll.h> event bits.
    static let input: UInt32 = 0x001, output: UInt32 = 0x004, error: UInt32 = 0x008, hup: UInt32 = 0x010
    static let readHangup: UInt32 = 0x2000, oneShot: UInt32 = 1 << 30
    static let readable = input | readHangup
    static let hangup = hup | error | readHangup
    /// The id reserved for the wake-up pipe.
    static let wakeID = UInt64.max

    private let epoll: Int32
    private let wakePipe: (read: Int32, write: Int32)

    /// Why the epoll instance or the wake pipe could not be made (only when out of descriptors); `start()` throws it.
    let setupError: SocketError?

    init() {
        epoll = Epoll.create(Epoll.closeOnExec)
        var fds: [Int32] = [-1, -1]
        var failure: SocketError? = epoll < 0 ? .last("epoll_create1") : nil
        if failure == nil && pipe(&fds) != 0 { failure = .last("pipe") }
        wakePipe = (fds[0], fds[1])
        setupError = failure
        if failure == nil { try? control(Epoll.add, fd: wakePipe.read, id: Self.wakeID, events: Self.input) }
    }

    deinit {
        for fd in [wakePipe.read, wakePipe.write, epoll] where fd >= 0 { Glibc.close(fd) }
    }

    /// Watches `fd` for `events`, level-triggered and persistent (the listener).
    func add(persistent fd: Int32, id: UInt64, events: UInt32) throws {
        try control(Epoll.add, fd: fd, id: id, events: events)
    }

    /// Watches `fd` for `events` once.
    func add(fd: Int32, id: UInt64, events: UInt32) throws {
        try control(Epoll.add, fd: fd, id: id, events: events | Self.oneShot)
    }

    /// Re-arms a one-shot registration for `events`.
    func rearm(fd: Int32, id: UInt64, events: UInt32) throws {
        try control(Epoll.modify, fd: fd, id: id, events: events | Self.oneShot)
    }

    func remove(fd: Int32) {
        _ = Epoll.control(epoll, Epoll.delete, fd, nil)
    }

    /// Makes a blocked `wait` return.
    func wake() {
        var byte: UInt8 = 1
        _ = Glibc.write(wakePipe.write, &byte, 1)
    }

    /// Blocks up to `timeout` milliseconds; calls `handle(id, events)` for each ready registration.
    func wait(timeout: Int32, _ handle: (UInt64, UInt32) -> Void) throws {
        let capacity = 256
        try withUnsafeTemporaryAllocation(byteCount: capacity * Epoll.eventStride, alignment: 8) { buffer in
            let count = Epoll.wait(epoll, buffer.baseAddress, Int32(capacity), timeout)
            if count < 0 {
                if errno == EINTR { return }
                throw SocketError.last("epoll_wait")
            }
            for index in 0..<Int(count) {
                let event = Epoll.load(at: buffer.baseAddress! + index * Epoll.eventStride)
                if event.id == Self.wakeID {
                    var byte: UInt8 = 0
                    _ = Glibc.read(wakePipe.read, &byte, 1)
                    continue
                }
                handle(event.id, event.events)
            }
        }
    }

    private func control(_ operation: Int32, fd: Int32, id: UInt64, events: UInt32) throws {
        try withUnsafeTemporaryAllocation(byteCount: 16, alignment: 8) { slot in
            Epoll.store(events: events, id: id, at: slot.baseAddress!)
            guard Epoll.control(epoll, operation, fd, slot.baseAddress) == 0 else {
                throw SocketError.last("epoll_ctl")
            }
        }
    }
}
