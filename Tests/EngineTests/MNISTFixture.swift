// The real MNIST, loaded once for every engine test that trains on it, from where `SharedMNIST` finds it.
import Foundation
import IDX
import TestSupport
@testable import Engine

enum MNISTFixture {
    static var directory: String { SharedMNIST.requireDirectory() }

    /// Loaded on first use (swift-testing runs tests in parallel; a static let is initialised once).
    static let dataset: Dataset = {
        let directory = SharedMNIST.requireDirectory()
        do { return try Dataset.load(directory: directory, name: "mnist") } catch {
            FileHandle.standardError.write(Data("tests: MNIST in \(directory) does not load: \(error)\n".utf8))
            exit(1)
        }
    }()

    static let trainImages = dataset.train.images(.unit)
    static let testImages = dataset.test.images(.unit)

    /// A trainer on the whole MNIST for `config`.
    static func trainer(_ config: JobConfig, initialModel: Model? = nil) throws -> Trainer {
        try Trainer(config: config, trainImages: trainImages, trainLabels: dataset.train.labels,
                    testImages: testImages, testLabels: dataset.test.labels, initialModel: initialModel)
    }

    /// A config with the given model and training changes applied to the defaults.
    static func config(_ change: (inout JobConfig) -> Void) -> JobConfig {
        var config = JobConfig()
        change(&config)
        return config
    }
}
