// Update rules against their PyTorch formulas worked by hand, on a one-layer network.
import Testing
@testable import Engine

struct OptimizerTests {
    /// A 2→2 linear network with known weights, biases and gradients.
    static func network() -> Network<Float> {
        let network = Network<Float>(spec: NetworkSpec(inputs: 2, hidden: [], outputs: 2, activation: .relu, output: .linear))
        network.parameters.assign([1, 2, 3, 4, 0.5, -0.5])
        network.gradients.assign([0.1, -0.2, 0.3, 0.4, 0.25, 0.75])
        return network
    }

    @Test(arguments: [OptimizerKind.sgd, .momentum, .adam])
    func firstNonFiniteUpdateLayer_findsAnOverflowAndLeavesEverythingAsItWas(kind: OptimizerKind) {
        // A finite gradient that overflows: lr · g past Float's range (SGD, momentum), g² past it (Adam's second
        // moment). The check must name the layer without storing a single new value.
        let network = OptimizerTests.network()
        network.gradients[5] = 3e38
        let optimizer = Optimizer<Float>(settings: OptimizerSettings(kind: kind, learningRate: kind == .adam ? 1e-3 : 10),
                                         parameterCount: 6)
        let parameters = network.parameters.toArray(), state = optimizer.state.toArray()
        #expect(optimizer.firstNonFiniteUpdateLayer(network) == 0)
        #expect(network.parameters.toArray() == parameters && optimizer.state.toArray() == state)
        #expect(optimizer.step == 0)
        network.gradients[5] = 0.75
        #expect(optimizer.firstNonFiniteUpdateLayer(network) == nil)
        optimizer.update(network)
        #expect(network.firstNonFiniteParameterLayer() == nil && optimizer.step == 1)
    }

    @Test func firstNonFiniteUpdateLayer_seesANaNGradient() {
        let network = OptimizerTests.network()
        network.gradients[2] = .nan
        let optimizer = Optimizer<Float>(settings: OptimizerSettings(kind: .sgd, learningRate: 0.1), parameterCount: 6)
        #expect(optimizer.firstNonFiniteUpdateLayer(network) == 0)
        network.gradients[2] = 0.3
        #expect(optimizer.firstNonFiniteUpdateLayer(network) == nil)
    }

    @Test func sgd_updatesBiasesByTheirGradientNotByThemselves() {
        // A classic bug is b -= lr·b; the rule is b -= lr·dB.
        let network = OptimizerTests.network()
        Optimizer<Float>(settings: OptimizerSettings(kind: .sgd, learningRate: 0.1), parameterCount: 6).update(network)
        let bias = network.layers[0].bias.toArray(), weight = network.layers[0].weight.toArray()
        let right: [Float] = [0.5 - 0.1 * 0.25, -0.5 - 0.1 * 0.75], wrong: [Float] = [0.5 - 0.1 * 0.5, -0.5 + 0.1 * 0.5]
        let weights: [Float] = [1 - 0.01, 2 + 0.02, 3 - 0.03, 4 - 0.04]
        #expect(bias == right)
        #expect(bias != wrong)
        #expect(weight == weights)
    }

    @Test func momentum_accumulatesVelocityAsPyTorchDoes() {
        let network = OptimizerTests.network()
        let optimizer = Optimizer<Float>(settings: OptimizerSettings(kind: .momentum, learningRate: 0.1, momentum: 0.9), parameterCount: 6)
        optimizer.update(network)   // v = g; p = 1 - 0.1·0.1
        optimizer.update(network)   // v = 0.9·0.1 + 0.1 = 0.19; p = 0.99 - 0.019
        #expect(abs(network.parameters[0] - (1 - 0.01 - 0.019)) < 1e-6)
        #expect(abs(optimizer.state[4] - 0.25 * 1.9) < 1e-6)
    }

    @Test func adam_firstStepMovesEachParameterByAboutTheLearningRate() {
        let network = OptimizerTests.network()
        let optimizer = Optimizer<Float>(settings: OptimizerSettings(kind: .adam, learningRate: 0.01), parameterCount: 6)
        optimizer.update(network)
        // Bias-corrected m̂ = g, v̂ = g², so the step is lr·g/(|g| + eps) ≈ lr·sign(g).
        let moved = zip([1, 2, 3, 4, 0.5, -0.5] as [Float], network.parameters.toArray()).map { $0 - $1 }
        for (delta, g) in zip(moved, [0.1, -0.2, 0.3, 0.4, 0.25, 0.75] as [Float]) {
            #expect(abs(delta - 0.01 * (g > 0 ? 1 : -1)) < 1e-6)
        }
        optimizer.update(network)
        #expect(optimizer.step == 2)
    }

    @Test func weightDecay_addsToWeightGradientsButLeavesBiases() {
        let network = OptimizerTests.network()
        var settings = OptimizerSettings(kind: .sgd, learningRate: 0.1)
        settings.weightDecay = 0.5
        Optimizer<Float>(settings: settings, parameterCount: 6).update(network)
        #expect(abs(network.parameters[0] - (1 - 0.1 * (0.1 + 0.5 * 1))) < 1e-6)
        let right: [Float] = [0.5 - 0.1 * 0.25, -0.5 - 0.1 * 0.75]
        #expect(network.layers[0].bias.toArray() == right)
    }
}
