// Training from raw bytes normalized in the gather equals training from floats converted up front, bit for
// bit, for both of the IDX loader's normalizations; and the byte form is exactly the loader's arithmetic.
import Foundation
import IDX
import Testing
@testable import Engine

struct TrainingImagesTests {
    @Test(arguments: Normalization.allCases)
    func byteValues_equalTheLoadersConversion(normalization: Normalization) {
        let (mean, deviation) = normalization.meanAndDeviation
        for byte in 0...255 {
            let ours = TrainingImages.value(UInt8(byte), mean: mean, deviation: deviation)
            #expect(ours.bitPattern == normalization.value(UInt8(byte)).bitPattern, "pixel \(byte)")
        }
    }

    /// The gather itself, on one 256-pixel image holding every byte value (its 0...1 path has its own arithmetic).
    @Test(arguments: Normalization.allCases)
    func gatheredBytes_equalTheLoadersConversion(normalization: Normalization) {
        let (mean, deviation) = normalization.meanAndDeviation
        let pixels = (0...255).map { UInt8($0) }
        let storage = UnsafeMutablePointer<Float>.allocate(capacity: 256)
        defer { storage.deallocate() }
        Gather.rows(ofPixels: pixels, mean: mean, deviation: deviation, indices: [0], start: 0,
                    into: Matrix(base: storage, rows: 1, columns: 256))
        for byte in 0...255 {
            #expect(storage[byte].bitPattern == normalization.value(UInt8(byte)).bitPattern, "pixel \(byte)")
        }
    }

    /// The real MNIST, default network, both normalizations, one thread and every core: 30 steps from bytes give
    /// the losses and weights of 30 steps from the loader's floats (on the dense path; the sparse one sums in
    /// another order, SparseInputTests).
    @Test(arguments: Normalization.allCases)
    func trainingFromBytes_equalsTrainingFromFloats(normalization: Normalization) throws {
        let dataset = MNISTFixture.dataset
        let config = MNISTFixture.config {
            $0.training.normalize = normalization == .unit ? .unit : .standardize
            $0.training.seed = 11
        }
        let (mean, deviation) = normalization.meanAndDeviation
        let testImages = dataset.test.images(normalization)
        for threads in [1, ThreadPool.shared.cores] {
            let floats = try Trainer(config: config, trainImages: dataset.train.images(normalization),
                                     trainLabels: dataset.train.labels, testImages: testImages,
                                     testLabels: dataset.test.labels, threads: threads)
            let bytes = try Trainer(config: config, trainImages: .bytes(dataset.train.pixels, mean: mean, deviation: deviation),
                                    trainLabels: dataset.train.labels, testImages: testImages,
                                    testLabels: dataset.test.labels, threads: threads, sparseInput: false)
            for _ in 0..<30 { #expect(try floats.step() == bytes.step()) }
            #expect(floats.model() == bytes.model())
        }
    }

    @Test func bytesThatDoNotSplitIntoImages_areRefused() {
        #expect(throws: TrainingError.self) {
            try Trainer(config: JobConfig(), trainImages: .bytes([0, 0, 0], mean: 0, deviation: 1), trainLabels: [1, 2],
                        testImages: [], testLabels: [])
        }
    }
}
