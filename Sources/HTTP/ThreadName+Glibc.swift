// The kernel's name for a thread (what top -H, perf and /proc/<pid>/task/*/comm show). Foundation's
// `Thread.name` does not reach the kernel on Linux, and Swift's Glibc module leaves out the GNU
// `pthread_setname_np`, so it is resolved from libc like the epoll calls.
import Glibc

enum ThreadName {
    private typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32

    private static let setName: SetName? = dlsym(nil, "pthread_setname_np").map { unsafeBitCast($0, to: SetName.self) }

    /// Names the calling thread; the kernel keeps the first 15 bytes. Does nothing where libc lacks the call.
    static func setCurrent(_ name: String) {
        _ = setName?(pthread_self(), String(decoding: name.utf8.prefix(15), as: UTF8.self))
    }
}
