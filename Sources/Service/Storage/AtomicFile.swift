// Crash-safe file replacement: write a temp file in the same directory, fsync it, rename it over the
// target, fsync the directory. After `kill -9` or power loss the target is the old or the new content,
// never a mix. Leftover temp files (named `.<name>.tmp-*`) are swept at startup.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Thin wrappers over the system calls the store needs, each failing with `StoreError.io`.
enum AtomicFile {
    /// Marker in temp file names; `sweepTemporaries` removes files containing it.
    static let temporaryMarker = ".tmp-"

    /// Replaces `url`'s content with `data` atomically and durably.
    static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent)\(temporaryMarker)\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = try open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        do {
            try writeAll(fd, data, path: temporary.path)
            guard fsync(fd) == 0 else { throw StoreError.io(operation: "fsync", path: temporary.path, errno: errno) }
        } catch {
            close(fd)
            unlink(temporary.path)
            throw error
        }
        close(fd)
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw StoreError.io(operation: "rename", path: url.path, errno: code)
        }
        try syncDirectory(directory)
    }

    /// fsyncs a directory so that entries created, renamed or removed in it are durable.
    static func syncDirectory(_ url: URL) throws {
        let fd = try open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0)
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw StoreError.io(operation: "fsync", path: url.path, errno: errno) }
    }

    /// Creates `url` (and parents) as a directory if missing, and makes its entry durable.
    static func makeDirectory(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw StoreError.io(operation: "mkdir", path: url.path, errno: errno == 0 ? EIO : errno)
        }
        try syncDirectory(url.deletingLastPathComponent())
    }

    /// Removes temp files a crash left in `directory`; returns how many.
    @discardableResult
    static func sweepTemporaries(in directory: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var removed = 0
        for name in names where name.hasPrefix(".") && name.contains(temporaryMarker) {
            if unlink(directory.appendingPathComponent(name).path) == 0 { removed += 1 }
        }
        return removed
    }

    /// The whole file, or nil when it does not exist.
    static func read(_ url: URL) throws -> Data? {
        do {
            return try Data(contentsOf: url)
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            return nil
        } catch {
            if !FileManager.default.fileExists(atPath: url.path) { return nil }
            throw StoreError.io(operation: "read", path: url.path, errno: EIO)
        }
    }

    static func open(_ path: String, _ flags: Int32, _ mode: mode_t) throws -> Int32 {
        let fd = Glibc.open(path, flags, mode)
        guard fd >= 0 else { throw StoreError.io(operation: "open", path: path, errno: errno) }
        return fd
    }

    /// write(2) until every byte is out, retrying on EINTR and short writes.
    static func writeAll(_ fd: Int32, _ data: Data, path: String) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StoreError.io(operation: "write", path: path, errno: errno)
                }
                offset += n
            }
        }
    }
}
