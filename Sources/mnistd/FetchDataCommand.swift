// `mnistd fetch-data`: download (or copy with --from) and verify the four MNIST files into the data dir.
// `--bench` then times loading the training split (inflate + parse + float32 conversion).
import Foundation
import IDX

enum FetchDataCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        let flags = try Flags(arguments, allowed: ["data-dir", "from", "runs"], booleans: ["bench"])
        let dataDirectory = flags.string("data-dir", env: "MNISTD_DATA_DIR") ?? "data"
        let sources = flags.string("from").map { [MNISTSource.directory($0)] } ?? MNISTDownloader.mirrors
        do {
            try MNISTDownloader.fetch(into: dataDirectory, from: sources) { print($0) }
        } catch let error as FetchError {
            FileHandle.standardError.write(Data("mnistd fetch-data: \(error.description)\n".utf8))
            return 1
        }
        print("MNIST ready in \(dataDirectory)")
        if flags.bool("bench") {
            try bench(dataDirectory: dataDirectory, runs: flags.int("runs", default: 7, range: 1...100))
        }
        return 0
    }

    /// Times loading the 60,000 training images and labels and converting them to float32; prints each
    /// run and the median as `load_train_seconds_median=...`.
    private static func bench(dataDirectory: String, runs: Int) throws {
        let images = Dataset.join(dataDirectory, Dataset.fileNames.trainImages + ".gz")
        let labels = Dataset.join(dataDirectory, Dataset.fileNames.trainLabels + ".gz")
        var seconds: [Double] = []
        for run in 1...runs {
            let start = DispatchTime.now().uptimeNanoseconds
            let split = try Split.load(images: images, labels: labels)
            let floats = split.images(.unit)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            precondition(floats.count == split.count * split.pixelsPerImage)
            seconds.append(elapsed)
            print(String(format: "run %d: %d images, %.4f s", run, split.count, elapsed))
        }
        let median = seconds.sorted()[seconds.count / 2]
        print(String(format: "load_train_seconds_median=%.4f runs=%d", median, runs))
    }
}
