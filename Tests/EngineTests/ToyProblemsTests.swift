// Seeds 003 and 001 on their own tiny data sets: adding two numbers with ReLU layers and a linear output,
// and XOR with one ReLU hidden layer. Full-batch training through Network and Optimizer.
import Testing
@testable import Engine

struct ToyProblemsTests {
    /// Trains `spec` full-batch on (inputs, targets) and returns the final mean loss and the network.
    static func train(_ spec: NetworkSpec, inputs: [[Float]], targets: [[Float]], seed: UInt64,
                      optimizer: OptimizerSettings, steps: Int) -> (loss: Float, network: Network<Float>, workspace: Workspace<Float>) {
        var random = SeededRandom(seed: seed)
        let network = Network<Float>(spec: spec)
        network.initialize(.he, random: &random)
        let workspace = Workspace<Float>(spec: spec, capacity: inputs.count)
        workspace.input.assign(inputs.joined())
        workspace.targets.assign(targets.joined())
        let update = Optimizer<Float>(settings: optimizer, parameterCount: spec.parameterCount)
        for _ in 0..<steps {
            network.forward(workspace, rows: inputs.count)
            _ = network.backward(workspace, rows: inputs.count)
            update.update(network)
        }
        network.forward(workspace, rows: inputs.count)
        return (network.loss(workspace, rows: inputs.count), network, workspace)
    }

    @Test func addingTwoNumbersReachesTinyMSEForTenOfTenSeeds() {
        let x: [[Float]] = [[0.1, 0.2], [0.5, 0.3], [0.2, 0.4], [0.3, 0.7], [0.5, 0.5], [0.4, 0.3]]
        let y: [[Float]] = [[0.3], [0.8], [0.6], [1.0], [1.0], [0.7]]
        let spec = NetworkSpec(inputs: 2, hidden: [16, 16], outputs: 1, activation: .relu, output: .linear)
        #expect(spec.loss == .mse)
        var losses: [Float] = []
        for seed in UInt64(0)..<10 {
            let result = ToyProblemsTests.train(spec, inputs: x, targets: y, seed: seed,
                                                optimizer: OptimizerSettings(kind: .sgd, learningRate: 0.05), steps: 5000)
            losses.append(result.loss)
        }
        print("toy regression, final MSE per seed: \(losses)")
        #expect(losses.allSatisfy { $0 < 1e-3 }, "\(losses)")
    }

    @Test func xorWithOneReLUHiddenLayerMakesNoErrors() {
        let x: [[Float]] = [[0, 0], [0, 1], [1, 0], [1, 1]]
        let labels = [0, 1, 1, 0]
        let y = labels.map { label in (0..<2).map { Float($0 == label ? 1 : 0) } }
        let spec = NetworkSpec(inputs: 2, hidden: [30], outputs: 2, activation: .relu, output: .softmax)
        for seed in UInt64(0)..<5 {
            let result = ToyProblemsTests.train(spec, inputs: x, targets: y, seed: seed,
                                                optimizer: OptimizerSettings(kind: .sgd, learningRate: 0.1), steps: 2000)
            let outputs = result.workspace.outputs(rows: 4)
            let predicted = (0..<4).map { outputs[$0, 1] > outputs[$0, 0] ? 1 : 0 }
            #expect(predicted == labels, "seed \(seed): \(predicted), loss \(result.loss)")
        }
    }
}
