// Dataset: a named pair of splits loaded from one directory of the four standard IDX files.

/// A dataset: training and test splits (MNIST layout: 28×28 ubyte images, labels 0..<10).
public struct Dataset: Sendable {
    public let name: String
    public let train: Split
    public let test: Split

    /// The four file names of a dataset directory, each found as-is or with `.gz`.
    public static let fileNames = (
        trainImages: "train-images-idx3-ubyte", trainLabels: "train-labels-idx1-ubyte",
        testImages: "t10k-images-idx3-ubyte", testLabels: "t10k-labels-idx1-ubyte"
    )

    /// The four names as a list, in the order train images, train labels, test images, test labels.
    public static var allFileNames: [String] {
        [fileNames.trainImages, fileNames.trainLabels, fileNames.testImages, fileNames.testLabels]
    }

    public init(name: String, train: Split, test: Split) {
        self.name = name
        self.train = train
        self.test = test
    }

    /// Loads the four files of one dataset directory (gzipped or raw).
    public static func load(directory: String, name: String) throws -> Dataset {
        let paths = try allFileNames.map { try locate($0, in: directory) }
        let train = try Split.load(images: paths[0], labels: paths[1])
        let test = try Split.load(images: paths[2], labels: paths[3])
        return Dataset(name: name, train: train, test: test)
    }

    /// True when `directory` holds all four files (raw or gzipped).
    public static func isComplete(directory: String) -> Bool {
        allFileNames.allSatisfy { (try? locate($0, in: directory)) != nil }
    }

    /// The path of `base` in `directory`, raw first (no inflate needed), then `base.gz`.
    static func locate(_ base: String, in directory: String) throws -> String {
        let candidates = [join(directory, base), join(directory, base + ".gz")]
        guard let found = candidates.first(where: FileIO.isFile) else {
            throw IDXError.missingFile(directory: directory, candidates: candidates)
        }
        return found
    }

    /// `directory` + "/" + `name`, without doubling a trailing slash.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
