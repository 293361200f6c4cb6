// DatasetCatalog: which datasets a data directory offers and where each one's files live.
// `DATA_DIR/` itself is "mnist", `DATA_DIR/<name>/` is `<name>`, and system packages add more (Fashion-MNIST).
import Foundation

/// The datasets under one data directory, plus system-wide dataset directories.
public struct DatasetCatalog: Sendable {
    /// The name used when a job names none.
    public static let defaultName = "mnist"
    /// Where Debian's `dataset-fashion-mnist` package installs its four files.
    public static let systemDirectories = ["fashion-mnist": ["/usr/share/datasets/fashion-mnist"]]

    public let dataDirectory: String
    /// Extra directories per dataset name, searched after the data directory.
    public let extraDirectories: [String: [String]]

    public init(dataDirectory: String) {
        self.init(dataDirectory: dataDirectory, extraDirectories: Self.systemDirectories)
    }

    /// A catalog with explicit extra directories (tests pass `[:]` to ignore the system's packages).
    public init(dataDirectory: String, extraDirectories: [String: [String]]) {
        self.dataDirectory = dataDirectory
        self.extraDirectories = extraDirectories
    }

    /// Datasets present, "mnist" first when present, then data-directory subfolders, then system ones.
    public func names() -> [String] {
        var found: [String] = []
        if directory(for: Self.defaultName) != nil { found.append(Self.defaultName) }
        let children = (try? FileManager.default.contentsOfDirectory(atPath: dataDirectory)) ?? []
        for child in children.sorted() where !found.contains(child) && Self.isValid(name: child) {
            if Dataset.isComplete(directory: Dataset.join(dataDirectory, child)) { found.append(child) }
        }
        for name in extraDirectories.keys.sorted() where !found.contains(name) {
            if directory(for: name) != nil { found.append(name) }
        }
        return found
    }

    /// The directories searched for `name`, in order.
    public func searchPath(for name: String) -> [String] {
        var directories = [Dataset.join(dataDirectory, name)]
        if name == Self.defaultName { directories.insert(dataDirectory, at: 0) }
        return directories + (extraDirectories[name] ?? [])
    }

    /// The first directory holding all four files of `name`, or nil.
    public func directory(for name: String) -> String? {
        guard Self.isValid(name: name) else { return nil }
        return searchPath(for: name).first(where: Dataset.isComplete(directory:))
    }

    /// Loads dataset `name`; `IDXError.datasetNotFound(name:searched:)` when no directory holds it.
    public func load(name: String) throws -> Dataset {
        guard Self.isValid(name: name) else { throw IDXError.invalidDatasetName(name: name) }
        guard let directory = directory(for: name) else {
            throw IDXError.datasetNotFound(name: name, searched: searchPath(for: name))
        }
        return try Dataset.load(directory: directory, name: name)
    }

    /// A name is one plain path component: no `/`, not `.` or `..`, not hidden, not empty.
    public static func isValid(name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\0") && name.utf8.count <= 255
    }
}
