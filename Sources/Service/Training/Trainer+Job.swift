// The one way a job config and a dataset become a Trainer, for a service job and `mnistd train` alike, so
// the same config and seed train the same bits wherever they run.
import Engine
import Foundation
import IDX

extension JobConfig {
    /// The pixel scaling the config asks for (`training.normalize`).
    public var normalization: Normalization { training.normalize == .unit ? .unit : .standardize }
}

extension Trainer {
    /// A trainer for `config` over `dataset`: training pixels normalised as they are gathered, `testImages`
    /// the test split already normalised by `config.normalization` (the service caches them), and
    /// `initialModel`'s weights instead of the configured init. `threads`: nil uses every core (same bits).
    public convenience init(config: JobConfig, dataset: Dataset, testImages: [Float]? = nil,
                            initialModel: Model? = nil, threads: Int? = nil) throws {
        let (mean, deviation) = config.normalization.meanAndDeviation
        try self.init(config: config, trainImages: .bytes(dataset.train.pixels, mean: mean, deviation: deviation),
                      trainLabels: dataset.train.labels,
                      testImages: testImages ?? dataset.test.images(config.normalization),
                      testLabels: dataset.test.labels, initialModel: initialModel, threads: threads)
    }
}
