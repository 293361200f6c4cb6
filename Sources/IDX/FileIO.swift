// FileIO: whole-file reads and crash-safe writes (temp file + fsync + rename) through Glibc, with errno text.
import Glibc

enum FileIO {
    /// The whole file at `path`; `IDXError.unreadable` with the errno text otherwise.
    static func readAll(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IDXError.unreadable(file: path, reason: errnoText()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw IDXError.unreadable(file: path, reason: errnoText()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw IDXError.unreadable(file: path, reason: "not a regular file") }
        // One spare byte lets the EOF read land without regrowing a file that did not change size.
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: 1 << 16)) }
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if got < 0 {
                if errno == EINTR { continue }
                throw IDXError.unreadable(file: path, reason: errnoText())
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    /// True when `path` names an existing regular file.
    static func isFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// True when `path` names an existing directory.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The text of the current errno.
    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

extension FileIO {
    /// Writes `bytes` to `path` so that readers see the old file or the whole new one, never a part:
    /// a temp file in the same directory, fsync, rename over `path`, fsync the directory.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".tmp-\(getpid())-" + path.split(separator: "/").last.map(String.init)!
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FetchError.writeFailed(path: temporary, reason: errnoText()) }
        var written = 0
        let failure: String? = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let count = write(fd, raw.baseAddress! + written, raw.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return errnoText() }
                written += count
            }
            return fsync(fd) == 0 ? nil : errnoText()
        }
        close(fd)
        if let failure {
            unlink(temporary)
            throw FetchError.writeFailed(path: temporary, reason: failure)
        }
        guard rename(temporary, path) == 0 else {
            let reason = errnoText()
            unlink(temporary)
            throw FetchError.writeFailed(path: path, reason: reason)
        }
        // The rename is durable only once the directory entry is on disk.
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }
}
