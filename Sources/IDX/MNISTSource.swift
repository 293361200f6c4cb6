// MNISTSource: where MNISTDownloader may read a file from, a URL prefix or a local directory.

/// Where a file may come from: a URL prefix (mirror) or a local directory.
public enum MNISTSource: Sendable, Equatable, CustomStringConvertible {
    case mirror(String)
    case directory(String)

    /// True for an HTTP(S) mirror.
    public var isMirror: Bool {
        if case .mirror = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .mirror(let prefix): return prefix
        case .directory(let path): return path
        }
    }
}
