// epoll through dlsym: Swift's Glibc module leaves out <sys/epoll.h>, and the package has no C shim for it.
import Glibc

/// The three epoll calls, resolved once from libc, plus the kernel's `struct epoll_event` layout.
enum Epoll {
    typealias Create = @convention(c) (Int32) -> Int32
    typealias Control = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias Wait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32

    static let create: Create = symbol("epoll_create1")
    static let control: Control = symbol("epoll_ctl")
    static let wait: Wait = symbol("epoll_wait")

    // <sys/epoll.h>: EPOLL_CTL_ADD/DEL/MOD and EPOLL_CLOEXEC (= O_CLOEXEC).
    static let add: Int32 = 1, delete: Int32 = 2, modify: Int32 = 3
    static let closeOnExec: Int32 = 0o2000000

    // struct epoll_event { uint32_t events; epoll_data_t data; } is packed on x86_64 (12 bytes), natural elsewhere.
    #if arch(x86_64)
    static let eventStride = 12, dataOffset = 4
    #else
    static let eventStride = 16, dataOffset = 8
    #endif

    private static func symbol<T>(_ name: String) -> T {
        guard let pointer = dlsym(nil, name) else { fatalError("libc has no \(name)") }
        return unsafeBitCast(pointer, to: T.self)
    }

    /// Writes one `epoll_event` at `slot`.
    static func store(events: UInt32, id: UInt64, at slot: UnsafeMutableRawPointer) {
        slot.storeBytes(of: events, as: UInt32.self)
        (slot + dataOffset).storeBytes(of: id, toByteOffset: 0, as: UInt64.self)
    }

    /// Reads the `epoll_event` at `slot`.
    static func load(at slot: UnsafeRawPointer) -> (events: UInt32, id: UInt64) {
        (slot.loadUnaligned(as: UInt32.self), (slot + dataOffset).loadUnaligned(as: UInt64.self))
    }
}
