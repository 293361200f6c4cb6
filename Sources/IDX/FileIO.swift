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
