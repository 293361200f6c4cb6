// FetchError: why getting the MNIST files into a data directory failed, with what the user should do.

/// A failure of `MNISTDownloader`.
public enum FetchError: Error, Equatable, Sendable {
    /// No source could provide `missing` files; `attempts` are "source: reason" lines, `instructions`
    /// say which files to put where.
    case unavailable(missing: [String], attempts: [String], instructions: String)
    /// A file's bytes do not match the published MD5 (or size); nothing was written.
    case checksumMismatch(file: String, source: String, expected: String, actual: String)
    /// Writing `path` failed (errno text in `reason`); no partial file is left behind.
    case writeFailed(path: String, reason: String)
}

extension FetchError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .unavailable(missing, attempts, instructions):
            return "cannot get \(missing.joined(separator: ", ")): no network, or no source had them:\n"
                + attempts.map { "  " + $0 }.joined(separator: "\n") + "\n" + instructions
        case let .checksumMismatch(file, source, expected, actual):
            return "\(file) from \(source) fails verification: expected \(expected), got \(actual); nothing was written"
        case let .writeFailed(path, reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
