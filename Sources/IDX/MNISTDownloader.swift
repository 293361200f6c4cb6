// MNISTDownloader: puts the four official MNIST files into a data directory, from mirrors or a local
// directory, verifying each against its published size and MD5 before an atomic write.
import Foundation

public enum MNISTDownloader {
    /// The four files with their published sizes and MD5 sums.
    public static let files = [
        MNISTFile(name: "train-images-idx3-ubyte.gz", size: 9_912_422, md5: "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        MNISTFile(name: "train-labels-idx1-ubyte.gz", size: 28_881, md5: "d53e105ee54ea40749a09fcbcd1e9432"),
        MNISTFile(name: "t10k-images-idx3-ubyte.gz", size: 1_648_877, md5: "9fb629c4189551a2d022fa330f9573f3"),
        MNISTFile(name: "t10k-labels-idx1-ubyte.gz", size: 4_542, md5: "ec29112dd5afa0611ce80d1b7f02629c"),
    ]

    /// Public mirrors of the original files, tried in order.
    public static let mirrors: [MNISTSource] = [
        .mirror("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        .mirror("https://storage.googleapis.com/cvdf-datasets/mnist/"),
    ]

    /// Makes sure `dataDirectory` holds MNIST: returns at once when a complete dataset is already there
    /// (raw or gzipped, or in `dataDirectory/mnist/`), else fetches the missing or damaged files from
    /// `sources`. Offline it throws `FetchError.unavailable`, whose description says what to put where and
    /// which command (`command`, how the user runs this program) checks them.
    public static func ensure(dataDirectory: String, sources: [MNISTSource] = mirrors, command: String = "mnistd",
                              log: (String) -> Void) throws {
        if let found = DatasetCatalog(dataDirectory: dataDirectory, extraDirectories: [:]).directory(for: DatasetCatalog.defaultName) {
            log("MNIST present in \(found)")
            return
        }
        log("MNIST not found in \(absolute(dataDirectory)), fetching it")
        try fetch(into: dataDirectory, from: sources, command: command, log: log)
    }

    /// Puts each of the four `.gz` files into `directory`: a present file whose MD5 matches is kept; others
    /// come from the first source that provides verified bytes. Throws after trying every file.
    public static func fetch(into directory: String, from sources: [MNISTSource], command: String = "mnistd",
                             log: (String) -> Void) throws {
        let directory = absolute(directory)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw FetchError.writeFailed(path: directory, reason: "\(error.localizedDescription)")
        }
        var missing: [String] = []
        var attempts: [String] = []
        var mismatch: FetchError?
        // A mirror that failed in transport (DNS, refused, timeout) is not retried for the other files,
        // so an offline machine learns so after one attempt per mirror rather than one per file.
        var unreachable: [MNISTSource] = []
        for file in files {
            let target = Dataset.join(directory, file.name)
            if let bytes = try? FileIO.readAll(target) {
                if verify(bytes, file) == nil {
                    log("\(file.name): present, md5 ok")
                    continue
                }
                log("\(file.name): present but fails verification, fetching it again")
            }
            var done = false
            for source in sources where !done && !unreachable.contains(source) {
                let location = source.isMirror ? source.description + file.name : Dataset.join(source.description, file.name)
                do {
                    let bytes = try read(file, from: source)
                    if let actual = verify(bytes, file) {
                        let error = FetchError.checksumMismatch(file: file.name, source: source.description, expected: expected(file), actual: actual)
                        mismatch = mismatch ?? error
                        attempts.append("\(location): \(error.description)")
                        continue
                    }
                    try FileIO.writeAtomically(bytes, to: target)
                    log("\(file.name): \(bytes.count) bytes from \(source.description), md5 ok")
                    done = true
                } catch let error as FetchError {
                    throw error
                } catch {
                    if source.isMirror, !(error is HTTPStatusError) { unreachable.append(source) }
                    attempts.append("\(location): \(error.localizedDescription)")
                }
            }
            if !done { missing.append(file.name) }
        }
        guard missing.isEmpty else {
            if let mismatch { throw mismatch }
            throw FetchError.unavailable(missing: missing, attempts: attempts,
                                         instructions: instructions(dataDirectory: directory, command: command))
        }
    }

    /// What to do by hand: the four files, where to put them, their sizes and MD5 sums, and the commands
    /// (starting with `command`, the program as the user can type it) that verify or copy them.
    public static func instructions(dataDirectory: String, command: String = "mnistd") -> String {
        let directory = absolute(dataDirectory)
        let lines = files.map { "  \(Dataset.join(directory, $0.name))  \($0.size) bytes  md5 \($0.md5)" }
        return (["Put these four files (from \(mirrors.map(\.description).joined(separator: " or ")) or any MNIST copy) here:"]
            + lines + ["then run `\(command) fetch-data --data-dir \(directory)` to verify them,",
                       "or `\(command) fetch-data --data-dir \(directory) --from DIR` to copy and verify them from DIR."])
            .joined(separator: "\n")
    }

    /// nil when `bytes` have the file's size and MD5, else a description of what they have.
    static func verify(_ bytes: [UInt8], _ file: MNISTFile) -> String? {
        guard bytes.count == file.size else { return "\(bytes.count) bytes" }
        let digest = MD5.hex(bytes)
        return digest == file.md5 ? nil : "md5 \(digest)"
    }

    static func expected(_ file: MNISTFile) -> String { "\(file.size) bytes, md5 \(file.md5)" }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : Dataset.join(FileManager.default.currentDirectoryPath, path)
    }
}
