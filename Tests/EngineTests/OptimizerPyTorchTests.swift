// Nesterov, AdamW and Adam with chosen betas and epsilon, three steps each, against PyTorch's optimizers given
// the same parameters and gradients, weight decay on the weights only (Fixtures/training_rules.json, written
// by Fixtures/make_training_rules.py with torch).
import Foundation
import Testing
@testable import Engine

struct OptimizerPyTorchTests {
    struct Fixture: Decodable {
        let gradients: [Float]
        let optimizers: [String: [[Float]]]
    }

    static func settings(_ name: String) -> OptimizerSettings {
        switch name {
        case "nesterov":
            return OptimizerSettings(kind: .nesterov, learningRate: 0.1, momentum: 0.9, weightDecay: 0.05)
        default:
            var settings = OptimizerSettings(kind: name == "adamw" ? .adamw : .adam, learningRate: 0.01, weightDecay: 0.1)
            settings.beta1 = 0.8
            settings.beta2 = 0.99
            settings.epsilon = 1e-6
            return settings
        }
    }

    /// Both sides compute in float32, in different orders: each step is under ten operations on values ≤ 4,
    /// each rounding within 2⁻²⁴ relative, so three steps differ by at most about 3 × 10 × 4 × 2⁻²⁴ ≈ 7·10⁻⁶.
    @Test(arguments: ["nesterov", "adamw", "adam_betas"])
    func threeSteps_matchPyTorch(name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/training_rules.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        let expected = try #require(fixture.optimizers[name])
        let network = OptimizerTests.network()
        let settings = OptimizerPyTorchTests.settings(name)
        let optimizer = Optimizer<Float>(settings: settings, parameterCount: 6)
        for (step, theirs) in expected.enumerated() {
            network.gradients.assign(fixture.gradients)
            optimizer.update(network)
            let ours = network.parameters.toArray()
            let worst = zip(ours, theirs).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 7e-6, "\(name) step \(step + 1): \(ours) vs PyTorch \(theirs)")
        }
        // The rebuilt update norm of the last step equals the step actually taken (the diagnostics' update ratio).
        let before = network.parameters.toArray()
        network.gradients.assign(fixture.gradients)
        optimizer.update(network)
        let taken = zip(before, network.parameters.toArray()).prefix(4).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()
        let rebuilt = optimizer.lastUpdateNorm(of: network, tensor: 0)
        #expect(abs(rebuilt - taken) <= 1e-4 * taken + 1e-7, "\(name): rebuilt ‖Δ‖ \(rebuilt) vs taken \(taken)")
    }
}
