// The training loop `mnistd bench` times: the engine's Trainer (relu hidden layers, softmax cross-entropy,
// plain SGD) stepping over synthetic MNIST-shaped data, one Trainer per job, each on its own thread.
import Engine
import Foundation

enum TrainingBenchmark {
    static let engine = "trainer"

    /// Trains `jobs` independent networks at once for `seconds`; returns the samples/s of each.
    static func run(widths: [Int], batch: Int, jobs: Int, seconds: Double) throws -> [Double] {
        let trainers = try (0..<jobs).map { try makeTrainer(widths: widths, batch: batch, seed: UInt64($0)) }
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
        return try results.get()
    }

    /// A Trainer on `64 × batch` random images and labels: enough batches that data stays out of L2.
    static func makeTrainer(widths: [Int], batch: Int, seed: UInt64) throws -> Trainer {
        var config = JobConfig()
        config.model.hidden = Array(widths.dropFirst().dropLast())
        config.model.activation = .relu
        config.training.batchSize = batch
        config.training.optimizer = .sgd
        config.training.learningRate = 0.01
        config.training.iterations = Int.max / 2
        config.training.seed = seed
        let inputs = widths.first!, classes = widths.last!
        let count = 64 * batch
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        // Bytes normalized per batch to 0...1, as a service job reads MNIST.
        let pixels = (0..<(count * inputs)).map { _ in UInt8(next() % 256) }
        let labels = (0..<count).map { _ in UInt8(next() % UInt64(classes)) }
        return try Trainer(config: config, trainImages: .bytes(pixels, mean: 0, deviation: 1), trainLabels: labels,
                           testImages: pixels[0..<inputs].map { Float($0) / 255 }, testLabels: [labels[0]], classes: classes)
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
