// Backprop against central differences for every activation × output × loss, in double precision.
import Testing
@testable import Engine

struct GradientCheckTests {
    static let activations: [Activation] = [.relu, .leakyRelu(slope: 0.1), .sigmoid, .tanh, .softplus]

    @Test(arguments: GradientCheckTests.activations)
    func gradientCheck_passesForEveryOutputAndLoss(activation: Activation) {
        for output in OutputActivation.allCases {
            for loss in LossFunction.allCases {
                let spec = NetworkSpec(inputs: 6, hidden: [5, 4], outputs: 3, activation: activation, output: output, loss: loss)
                for seed in UInt64(0)..<3 {
                    let results = GradientCheck.run(spec: spec, initializer: .xavier, samples: 4, seed: seed,
                                                    maxCoordinates: 1000, step: 1e-4)
                    #expect(results.map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.1.weight",
                                                     "layers.1.bias", "layers.2.weight", "layers.2.bias"])
                    for result in results {
                        #expect(result.maxRelativeError < 1e-6, "\(activation) \(output) \(loss) seed \(seed) \(result)")
                    }
                    let total = results.reduce(0) { $0 + $1.checked + $1.skippedKinks }
                    #expect(total == spec.parameterCount)
                }
            }
        }
    }
}

extension GradientCheckTests {
    @Test func gradientCheck_ofTheDefaultJobModelPassesThroughThePublicAPI() throws {
        let results = try GradientCheck.run(model: ModelConfig(), samples: 8, seed: 0)
        #expect(results.count == 10)
        #expect(results.first?.name == "layers.0.weight" && results.last?.name == "layers.4.bias")
        for result in results {
            #expect(result.maxRelativeError < 1e-6, "\(result)")
            // 32 coordinates per tensor, all 10 of the output bias.
            #expect(result.checked + result.skippedKinks == (result.name == "layers.4.bias" ? 10 : 32))
            #expect(result.checked > 0)
        }
    }

    @Test func gradientCheck_skipsAndCountsReLUKinksButNeverSmoothOnes() {
        func skipped(_ activation: Activation) -> Int {
            let spec = NetworkSpec(inputs: 6, hidden: [8, 8], outputs: 3, activation: activation, output: .softmax)
            return GradientCheck.run(spec: spec, initializer: .he, samples: 8, seed: 1, maxCoordinates: 1000, step: 0.05)
                .reduce(0) { $0 + $1.skippedKinks }
        }
        #expect(skipped(.relu) > 0)
        #expect(skipped(.leakyRelu(slope: 0.01)) > 0)
        #expect(skipped(.tanh) == 0)
        #expect(skipped(.softplus) == 0)
    }

    @Test func gradientCheck_catchesAWrongDerivative() {
        // The oracle is live: a network whose recorded gradient is perturbed fails the comparison.
        let spec = NetworkSpec(inputs: 4, hidden: [3], outputs: 2, activation: .tanh, output: .softmax)
        let exact = GradientCheck.run(spec: spec, initializer: .xavier, samples: 3, seed: 5, maxCoordinates: 100, step: 1e-4)
        let wrong = GradientCheck.run(spec: spec, initializer: .xavier, samples: 3, seed: 5, maxCoordinates: 100, step: 1e-4,
                                      corruptGradient: { $0 * 1.001 })
        #expect(exact.allSatisfy { $0.maxRelativeError < 1e-6 })
        #expect(wrong.allSatisfy { $0.maxRelativeError > 5e-4 })
    }
}
