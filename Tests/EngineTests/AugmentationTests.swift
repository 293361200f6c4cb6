// The augmentation's warp against what a shift, a rotation and the identity must give, and augmented training:
// the same bits on 1 and 2 threads, other weights than without it, and ranges of 0 changing nothing.
import Foundation
import Testing
@testable import Engine

struct AugmentationTests {
    /// A 6 × 6 image with no symmetry: pixel (x, y) = 1 + x + 10·y.
    static let side = 6
    static let image: [Float] = (0..<36).map { (i: Int) -> Float in Float(1 + i % 6 + 10 * (i / 6)) }

    static func warp(_ draw: AffineDraw, background: Float = -1) -> [Float] {
        var out = [Float](repeating: .nan, count: 36)
        image.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { dst in
                Affine.warp(source.baseAddress!, into: dst.baseAddress!, side: side, draw: draw, background: background)
            }
        }
        return out
    }

    @Test func theIdentity_isBitIdentical() {
        #expect(AugmentationTests.warp(AffineDraw()).map(\.bitPattern) == AugmentationTests.image.map(\.bitPattern))
    }

    @Test func aWholePixelShift_movesThePixelsAndFillsTheBackground() {
        let shifted = AugmentationTests.warp(AffineDraw(dx: 2, dy: -1))
        for y in 0..<6 {
            for x in 0..<6 {
                let sx = x - 2, sy = y + 1
                let expected: Float = sx >= 0 && sy < 6 ? AugmentationTests.image[sy * 6 + sx] : -1
                #expect(shifted[y * 6 + x] == expected, "(\(x), \(y))")
            }
        }
        // Half a pixel: the mean of the two neighbours.
        let half = AugmentationTests.warp(AffineDraw(dx: 0.5))
        #expect(abs(half[2 * 6 + 3] - (AugmentationTests.image[2 * 6 + 2] + AugmentationTests.image[2 * 6 + 3]) / 2) < 1e-5)
    }

    @Test func aQuarterTurn_rotatesAboutTheCentre() {
        // Source of output (x, y) under a rotation by +90°: (y, 5 − x) about the centre 2.5 (cos and sin of π/2
        // in Float are within 1e-7 of 0 and 1, so each value is within ~1e-5 of the exact pixel).
        let turned = AugmentationTests.warp(AffineDraw(angle: .pi / 2))
        for y in 0..<6 {
            for x in 0..<6 {
                #expect(abs(turned[y * 6 + x] - AugmentationTests.image[(5 - x) * 6 + y]) < 1e-4, "(\(x), \(y))")
            }
        }
        // Scale 2 about the centre: output (x, y) reads source ((x − 2.5)/2 + 2.5, …); at (0, 0) that is (1.25, 1.25).
        let zoomed = AugmentationTests.warp(AffineDraw(scale: 2))
        #expect(abs(zoomed[0] - (1 + 1.25 + 12.5)) < 1e-4)
    }

    static func config(_ augment: AugmentSettings?) -> JobConfig {
        MNISTFixture.config {
            $0.model.hidden = [64]
            $0.training.iterations = 30
            $0.training.batchSize = 64
            $0.training.seed = 11
            $0.training.augment = augment
        }
    }

    static func trained(_ config: JobConfig, threads: Int) throws -> [Float] {
        let dataset = MNISTFixture.dataset
        let trainer = try Trainer(config: config, trainImages: .bytes(dataset.train.pixels, mean: 0, deviation: 1),
                                  trainLabels: dataset.train.labels, testImages: [], testLabels: [], threads: threads)
        while !trainer.isFinished { try trainer.step() }
        return trainer.network.parameters.toArray()
    }

    @Test func augmentedTraining_isTheSameOnOneAndTwoThreads_andRangesOfZeroChangeNothing() throws {
        let augment = AugmentSettings(shift: 2, rotate: 10, scale: 0.1)
        let one = try AugmentationTests.trained(AugmentationTests.config(augment), threads: 1)
        let two = try AugmentationTests.trained(AugmentationTests.config(augment), threads: 2)
        #expect(one == two)
        let plain = try AugmentationTests.trained(AugmentationTests.config(nil), threads: 2)
        #expect(one != plain)
        let zero = try AugmentationTests.trained(AugmentationTests.config(AugmentSettings()), threads: 2)
        #expect(zero == plain)
    }
}
