// The training loop `mnistd bench` times: the engine's Trainer (relu hidden layers, softmax cross-entropy, plain
// SGD; SGD with momentum for the CNN presets) stepping over MNIST's training images or random bytes, one Trainer
// per job, each on its own thread.
import Engine
import Foundation
import IDX

enum TrainingBenchmark {
    static let engine = "trainer"

    /// The CNNs `--preset` names (the output layer of 10 units is appended).
    static let presets: [String: [LayerSpec]] = ["lenet5": Presets.lenet5Layers,
                                                 "pytorch_example": Presets.pytorchExampleLayers]

    /// Images and labels to train on: `name` is what the output line reports.
    struct Data {
        let name: String
        let pixels: [UInt8]
        let labels: [UInt8]
    }

    /// `choice` "mnist" (the data dir's training set), "random" (64 batches of uniformly random bytes, 99.6%
    /// of them nonzero) or "auto" (mnist when the data dir has it and the input width is 784, else random).
    static func data(_ choice: String, widths: [Int], dataDirectory: String) throws -> Data {
        let classes = widths.last!
        let mnistFits = widths.first == 784 && classes >= 10
        switch choice {
        case "mnist":
            guard mnistFits else {
                throw FlagError(description: "--data mnist needs an --arch of 784 inputs and at least 10 outputs")
            }
            return try mnist(dataDirectory: dataDirectory)
        case "auto" where mnistFits && Dataset.isComplete(directory: dataDirectory):
            return try mnist(dataDirectory: dataDirectory)
        case "auto", "random":
            return randomData(inputs: widths.first!, classes: classes, count: 64 * 128)
        default:
            throw FlagError(description: "--data must be mnist, random or auto, got '\(choice)'")
        }
    }

    private static func mnist(dataDirectory: String) throws -> Data {
        let train = try DatasetCatalog(dataDirectory: dataDirectory).load(name: "mnist").train
        return Data(name: "mnist", pixels: train.pixels, labels: train.labels)
    }

    /// Trains `jobs` independent networks at once for `seconds`; returns the samples/s of each and whether
    /// the first layer took the sparse path.
    static func run(config: JobConfig, classes: Int, jobs: Int, seconds: Double, data: Data,
                    sparseInput: Bool) throws -> (rates: [Double], sparse: Bool) {
        let trainers = try (0..<jobs).map {
            try makeTrainer(config: config, classes: classes, seed: UInt64($0), data: data, sparseInput: sparseInput)
        }
        let batch = config.training.batchSize
        let results = Results(jobs)
        let group = DispatchGroup()
        for (job, trainer) in trainers.enumerated() {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do {
                    _ = try BenchClock.repeatFor(seconds: min(0.3, seconds / 4)) { try trainer.step() }
                    let (steps, elapsed) = try BenchClock.repeatFor(seconds: seconds) { try trainer.step() }
                    results.set(job, Double(steps * batch) / elapsed)
                } catch {
                    results.fail(error)
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return (try results.get(), trainers[0].usesSparseInput)
    }

    /// The config timed for `--arch` widths or a `--preset`'s layers (which replace the dense layers of `widths`).
    static func config(widths: [Int], layers: [LayerSpec]? = nil, batch: Int) -> JobConfig {
        var config = JobConfig()
        config.model.hidden = Array(widths.dropFirst().dropLast())
        config.model.layers = layers
        config.model.activation = .relu
        config.training.batchSize = batch
        config.training.optimizer = layers == nil ? .sgd : .momentum
        config.training.momentum = 0.9
        config.training.learningRate = 0.01
        return config
    }

    /// A Trainer of `config` (any length: it steps as long as it is timed) on `data`, normalized per batch to
    /// 0...1 as a service job reads MNIST.
    static func makeTrainer(config base: JobConfig, classes: Int, seed: UInt64, data: Data,
                            sparseInput: Bool) throws -> Trainer {
        var config = base
        config.training.iterations = Int.max / 2
        config.training.seed = base.training.seed &+ seed
        let inputs = data.pixels.count / data.labels.count
        return try Trainer(config: config, trainImages: .bytes(data.pixels, mean: 0, deviation: 1), trainLabels: data.labels,
                           testImages: data.pixels[0..<inputs].map { Float($0) / 255 }, testLabels: [data.labels[0]],
                           classes: classes, sparseInput: sparseInput)
    }

    /// `count` images of uniformly random bytes and random labels: enough batches that data stays out of L2.
    static func randomData(inputs: Int, classes: Int, count: Int) -> Data {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let pixels = (0..<(count * inputs)).map { _ in UInt8(next() % 256) }
        let labels = (0..<count).map { _ in UInt8(next() % UInt64(classes)) }
        return Data(name: "random", pixels: pixels, labels: labels)
    }

    /// Per-job rates filled in by the job threads.
    private final class Results: @unchecked Sendable {
        private var rates: [Double]
        private var error: Error?
        private let lock = NSLock()

        init(_ count: Int) { rates = [Double](repeating: 0, count: count) }

        func set(_ job: Int, _ rate: Double) { lock.withLock { rates[job] = rate } }
        func fail(_ error: Error) { lock.withLock { self.error = error } }
        func get() throws -> [Double] {
            try lock.withLock {
                if let error { throw error }
                return rates
            }
        }
    }
}
