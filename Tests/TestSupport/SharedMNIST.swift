// Where the tests find the real MNIST: the directory in MNISTD_MNIST_DIR, else ../shared/mnist beside the
// package, else the package's own data/ (where `mnistd fetch-data` and the service put it).
import Foundation
import IDX

public enum SharedMNIST {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The directories looked in, in order: only MNISTD_MNIST_DIR when it is set.
    public static var candidates: [String] {
        if let dir = ProcessInfo.processInfo.environment["MNISTD_MNIST_DIR"], !dir.isEmpty { return [dir] }
        return [packageRoot.deletingLastPathComponent().appendingPathComponent("shared/mnist").path,
                packageRoot.appendingPathComponent("data").path]
    }

    /// The first candidate holding all four files, or the first candidate when none does (tests that can do
    /// without MNIST check `isAvailable`).
    public static let directory: String = candidates.first(where: { Dataset.isComplete(directory: $0) }) ?? candidates[0]

    public static var isAvailable: Bool { Dataset.isComplete(directory: directory) }

    /// `directory`, or, when no candidate holds MNIST, one line on standard error saying where the tests
    /// looked and how to get it, and exit status 1 (not a crash with a backtrace).
    public static func requireDirectory() -> String {
        guard !isAvailable else { return directory }
        let looked = candidates.joined(separator: " and ")
        FileHandle.standardError.write(Data(("tests: MNIST not found in \(looked); run `swift run -c release mnistd fetch-data` "
            + "(offline: add `--from DIR` with the four .gz files), or set MNISTD_MNIST_DIR\n").utf8))
        exit(1)
    }
}
