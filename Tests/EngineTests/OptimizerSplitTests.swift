// Large parameter sets are updated by several threads, each over its own range of the flat parameter vector:
// the result must equal the one-thread walk exactly, and the non-finite check must still name the first layer.
import Testing
@testable import Engine

struct OptimizerSplitTests {
    /// 784-64-32-10 (52,650 parameters, above the split threshold) with seeded parameters and gradients.
    static func network() -> Network<Float> {
        let network = Network<Float>(spec: NetworkSpec(inputs: 784, hidden: [64, 32], outputs: 10,
                                                       activation: .relu, output: .softmax))
        #expect(network.spec.parameterCount >= Optimizer<Float>.parallelThreshold)
        var random = SeededRandom(seed: 21)
        for i in 0..<network.parameters.count {
            network.parameters[i] = Float(random.nextUnit()) - 0.5
            network.gradients[i] = Float(random.nextUnit()) * 0.02 - 0.01
        }
        return network
    }

    @Test(arguments: [OptimizerKind.sgd, .momentum, .adam])
    func splitWalks_equalTheOneThreadWalkBitForBit(kind: OptimizerKind) {
        let settings = OptimizerSettings(kind: kind, learningRate: 0.01, weightDecay: 1e-3)
        let one = Self.network(), split = Self.network()
        let serial = Optimizer<Float>(settings: settings, parameterCount: one.spec.parameterCount)
        let parallel = Optimizer<Float>(settings: settings, parameterCount: split.spec.parameterCount)
        serial.threads = 1
        parallel.threads = ThreadPool.shared.cores
        for _ in 0..<3 {
            #expect(serial.firstNonFiniteUpdateLayer(one) == nil && parallel.firstNonFiniteUpdateLayer(split) == nil)
            serial.update(one)
            parallel.update(split)
        }
        #expect(one.parameters.toArray().map(\.bitPattern) == split.parameters.toArray().map(\.bitPattern))
        #expect(serial.state.toArray().map(\.bitPattern) == parallel.state.toArray().map(\.bitPattern))
    }

    @Test func splitCheck_namesTheFirstNonFiniteLayerWhereverItIs() {
        let network = Self.network()
        let optimizer = Optimizer<Float>(settings: OptimizerSettings(kind: .sgd, learningRate: 0.1),
                                         parameterCount: network.spec.parameterCount)
        optimizer.threads = ThreadPool.shared.cores
        let before = network.parameters.toArray()
        // The last layer's bias (the end of the flat vector, another share than the start) and the first weight.
        network.gradients[network.gradients.count - 1] = .infinity
        #expect(optimizer.firstNonFiniteUpdateLayer(network) == 2)
        network.gradients[0] = .nan
        #expect(optimizer.firstNonFiniteUpdateLayer(network) == 0)
        #expect(network.parameters.toArray().map(\.bitPattern) == before.map(\.bitPattern))
    }
}
