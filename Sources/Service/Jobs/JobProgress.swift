// Where a job is (`progress`) and how well it does (`metrics`), as `GET /jobs/{id}` shows them.
import Foundation

/// Progress counters; epochs and iterations are 1-based counts of completed work (0 before the first step).
public struct JobProgress: Equatable, Sendable {
    public var epoch: Int
    public var epochs: Int
    public var iteration: Int
    public var iterations: Int
    /// Training throughput, samples per second; nil until measured.
    public var samplesPerSecond: Double?
    /// Seconds left at the current throughput; nil until measured.
    public var etaSeconds: Double?

    public init(epoch: Int = 0, epochs: Int = 0, iteration: Int = 0, iterations: Int = 0,
                samplesPerSecond: Double? = nil, etaSeconds: Double? = nil) {
        self.epoch = epoch
        self.epochs = epochs
        self.iteration = iteration
        self.iterations = iterations
        self.samplesPerSecond = samplesPerSecond
        self.etaSeconds = etaSeconds
    }

    /// `iteration / iterations` in 0...1 (0 when the total is unknown).
    public var fraction: Double {
        iterations > 0 ? min(1, max(0, Double(iteration) / Double(iterations))) : 0
    }

    /// Updates the counters and derives `eta_seconds` from `samplesPerSecond` and the batch size.
    public mutating func advance(iteration: Int, epoch: Int, samplesPerSecond: Double, batchSize: Int) {
        self.iteration = iteration
        self.epoch = epoch
        self.samplesPerSecond = samplesPerSecond
        let remaining = Double(max(0, iterations - iteration) * batchSize)
        etaSeconds = samplesPerSecond > 0 ? remaining / samplesPerSecond : nil
    }
}

/// The latest losses and accuracies; nil until measured. Train values are over the last minibatches,
/// test and validation values from the last evaluation, the learning rate the last step's.
public struct JobMetrics: Equatable, Sendable {
    public var trainLoss: Double?
    public var trainAccuracy: Double?
    public var testLoss: Double?
    public var testAccuracy: Double?
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    public var learningRate: Double?

    public init(trainLoss: Double? = nil, trainAccuracy: Double? = nil, testLoss: Double? = nil, testAccuracy: Double? = nil,
                validationLoss: Double? = nil, validationAccuracy: Double? = nil, learningRate: Double? = nil) {
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.testLoss = testLoss
        self.testAccuracy = testAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
    }
}
