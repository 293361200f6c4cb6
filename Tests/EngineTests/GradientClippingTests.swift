// training.clip_grad_norm on real MNIST, against the unclipped step from the same start: a limit above the
// gradient's norm changes nothing (the same bits), and a limit below it gives the same direction with the
// norm the limit sets, within the rounding of the parameters the step is read back from.
import Foundation
import Testing
@testable import Engine

@Suite(.serialized) struct GradientClippingTests {
    /// Parameters before and after one plain SGD step (lr 1, no momentum or decay, so the step is the gradient).
    static func step(clip: Double?) throws -> (before: [Float], after: [Float]) {
        let config = MNISTFixture.config {
            $0.model.hidden = [64, 32]
            $0.training.optimizer = .sgd
            $0.training.learningRate = 1
            $0.training.iterations = 1
            $0.training.seed = 3
            $0.training.clipGradNorm = clip
        }
        let trainer = try MNISTFixture.trainer(config)
        let parameters = trainer.network.parameters
        let before = (0..<parameters.count).map { parameters[$0] }
        try trainer.step()
        return (before, (0..<parameters.count).map { parameters[$0] })
    }

    @Test func aLimitAboveTheNorm_changesNothing() throws {
        let plain = try Self.step(clip: nil), loose = try Self.step(clip: 1e30)
        #expect(plain.before == loose.before)
        #expect(plain.after == loose.after)
    }

    @Test func aLimitBelowTheNorm_scalesTheStepToIt() throws {
        let plain = try Self.step(clip: nil)
        let g = zip(plain.before, plain.after).map { Double($0) - Double($1) }
        let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(norm > 0.1, "the gradient norm \(norm) is too small to clip meaningfully")
        let limit = norm / 4
        let clipped = try Self.step(clip: limit)
        let d = zip(clipped.before, clipped.after).map { Double($0) - Double($1) }
        // Each parameter is p - s·g rounded to Float: an error of at most u·|p_new| (u = 2⁻²⁴), plus the
        // reading of g itself from the plain step (u·|p_new| there, scaled by s = 1/4).
        let u = 0x1p-24
        let error = zip(clipped.after, plain.after).map { u * (Double(abs($0)) + Double(abs($1)) / 4) }
        let errorNorm = error.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let dNorm = d.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let expected = limit * norm / (norm + 1e-6)
        #expect(abs(dNorm - expected) <= 2 * errorNorm + 1e-12 * expected, "‖Δ‖ \(dNorm) vs \(expected) ± \(errorNorm)")
        let deviation = zip(d, g).map { $0 - $1 * expected / norm }.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(deviation <= 2 * errorNorm, "the clipped step leaves the gradient's direction by \(deviation)")
    }

    @Test func theField_isParsedAndRefusedFromTheDescription() throws {
        let config = try JobConfig.parse(Data(#"{"training": {"clip_grad_norm": 1.5}}"#.utf8))
        #expect(config.training.clipGradNorm == 1.5)
        #expect(try JobConfig.parse(Data(#"{"training": {"clip_grad_norm": null}}"#.utf8)).training.clipGradNorm == nil)
        #expect(throws: ConfigError(field: "training.clip_grad_norm", message: "must be a finite number > 0, got 0")) {
            try JobConfig.parse(Data(#"{"training": {"clip_grad_norm": 0}}"#.utf8))
        }
    }
}
