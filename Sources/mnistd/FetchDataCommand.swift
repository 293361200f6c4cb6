// `mnistd fetch-data`: download (or copy with --from) and verify the four MNIST files into the data dir.
// `--mirror URL` replaces the public mirrors; `--bench` then times loading the training split (inflate + parse + float32 conversion).
import Foundation
import IDX

enum FetchDataCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        let flags = try Flags(arguments, allowed: ["data-dir", "from", "mirror", "runs"], booleans: ["bench"])
        let dataDirectory = flags.string("data-dir", env: "MNISTD_DATA_DIR") ?? "data"
        var sources = MNISTDownloader.mirrors
        if let mirror = flags.string("mirror", env: "MNISTD_MNIST_MIRROR") {
            sources = [.mirror(mirror.hasSuffix("/") ? mirror : mirror + "/")]
        }
        if let directory = flags.string("from") { sources = [.directory(directory)] }
        do {
            try MNISTDownloader.fetch(into: dataDirectory, from: sources, command: SelfCommand.text) { print($0) }
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

    /// Times loading the 60,000 training images and labels (read, inflate, parse) and converting them to
    /// float32; prints each run with its phases and the median as `load_train_seconds_median=...`.
    private static func bench(dataDirectory: String, runs: Int) throws {
        let images = Dataset.join(dataDirectory, Dataset.fileNames.trainImages + ".gz")
        let labels = Dataset.join(dataDirectory, Dataset.fileNames.trainLabels + ".gz")
        var seconds: [Double] = []
        for run in 1...runs {
            let start = DispatchTime.now().uptimeNanoseconds
            let packed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: images)))
            let read = DispatchTime.now().uptimeNanoseconds
            let raw = try Gzip.decompress(packed, file: images, limit: IDXFile.defaultLimit)
            let inflated = DispatchTime.now().uptimeNanoseconds
            let split = try Split(images: IDXFile(raw: raw, file: images), labels: IDXFile.load(path: labels),
                                  imagesName: images, labelsName: labels)
            let parsed = DispatchTime.now().uptimeNanoseconds
            let floats = split.images(.unit)
            let end = DispatchTime.now().uptimeNanoseconds
            precondition(floats.count == split.count * split.pixelsPerImage)
            let elapsed = Double(end - start) / 1e9
            seconds.append(elapsed)
            print(String(format: "run %d: %d images, %.4f s (read %.4f, inflate %.4f, parse+labels %.4f, float32 %.4f)",
                         run, split.count, elapsed, Double(read - start) / 1e9, Double(inflated - read) / 1e9,
                         Double(parsed - inflated) / 1e9, Double(end - parsed) / 1e9))
        }
        let median = seconds.sorted()[seconds.count / 2]
        print(String(format: "load_train_seconds_median=%.4f runs=%d", median, runs))
    }
}
