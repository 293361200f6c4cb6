// The step by data slices (DataParallelStep) against the step gemm by gemm (Network.forward + backward): the
// loss and every gradient must be bit-identical however the batch and the weight gradients are cut, so a job's
// numbers do not depend on how many cores it got.
import Testing
@testable import Engine

struct DataParallelStepTests {
    static let specs: [NetworkSpec] = [
        NetworkSpec(inputs: 784, hidden: [100, 100, 100, 100], outputs: 10, activation: .relu, output: .softmax),
        NetworkSpec(inputs: 67, hidden: [33, 50], outputs: 10, activation: .leakyRelu(slope: 0.01), output: .softmax),
        NetworkSpec(inputs: 40, hidden: [37], outputs: 10, activation: .tanh, output: .sigmoid),
        NetworkSpec(inputs: 40, hidden: [17, 9], outputs: 10, activation: .sigmoid, output: .linear, loss: .mse),
        NetworkSpec(inputs: 50, hidden: [65], outputs: 10, activation: .relu, output: .relu),
    ]

    @Test(arguments: specs)
    func anyCutOfTheStep_equalsTheStepGemmByGemmBitForBit(spec: NetworkSpec) {
        for rows in [128, 77, 16] {
            let (network, workspace) = Self.batch(spec, rows: rows)
            network.forward(workspace, rows: rows)
            let expectedLoss = network.backward(workspace, rows: rows)
            let expected = network.gradients.toArray()
            let step = DataParallelStep(network: network, workspace: workspace)
            for (rowShares, gradientShares) in [(1, 1), (2, 8), (3, 5), (7, 64), (rows, 1)] {
                Elementwise.fill(network.gradients, .nan)
                let loss = step.runSerially(rows: rows, rowShares: rowShares, gradientShares: gradientShares)
                let got = network.gradients.toArray()
                let differing = zip(expected, got).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(loss.bitPattern == expectedLoss.bitPattern, "\(rows) rows, cut \(rowShares)/\(gradientShares)")
                #expect(differing == 0, "\(differing) of \(got.count) gradients differ for \(rows) rows, cut \(rowShares)/\(gradientShares)")
            }
        }
    }

    @Test func onThePool_theStepEqualsTheOneThreadStep() {
        let spec = Self.specs[0]
        let (network, workspace) = Self.batch(spec, rows: 128)
        network.forward(workspace, rows: 128)
        let expectedLoss = network.backward(workspace, rows: 128)
        let expected = network.gradients.toArray()
        let step = DataParallelStep(network: network, workspace: workspace)
        for _ in 0..<20 {
            Elementwise.fill(network.gradients, .nan)
            let loss = step.run(rows: 128, threads: ThreadPool.shared.cores)
            #expect(loss.bitPattern == expectedLoss.bitPattern)
            #expect(network.gradients.toArray().map(\.bitPattern) == expected.map(\.bitPattern))
        }
    }

    /// The whole trainer on real MNIST: one thread against every core, by data (the default network) and gemm
    /// by gemm (784-512-512-10, past the data-parallel limit): the same losses and weights, bit for bit.
    @Test(arguments: [[100, 100, 100, 100], [512, 512]])
    func trainerOnEveryCore_equalsTheTrainerOnOneThread(hidden: [Int]) throws {
        let config = MNISTFixture.config {
            $0.model.hidden = hidden
            $0.training.optimizer = .momentum
            $0.training.learningRate = 0.05
            $0.training.seed = 5
        }
        func trainer(threads: Int) throws -> Trainer {
            try Trainer(config: config, trainImages: MNISTFixture.trainImages, trainLabels: MNISTFixture.dataset.train.labels,
                        testImages: MNISTFixture.testImages, testLabels: MNISTFixture.dataset.test.labels, threads: threads)
        }
        let one = try trainer(threads: 1), all = try trainer(threads: ThreadPool.shared.cores)
        for _ in 0..<(hidden.count > 2 ? 40 : 8) { #expect(try one.step() == all.step()) }
        #expect(one.model() == all.model())
    }

    @Test func onlySmallNetworksWithEnoughRowsPerThread_goByData() {
        #expect(DataParallelStep.pays(parameterCount: 109_386, rows: 128, threads: 2))
        #expect(!DataParallelStep.pays(parameterCount: 109_386, rows: 128, threads: 1))
        #expect(!DataParallelStep.pays(parameterCount: 109_386, rows: 31, threads: 2))
        #expect(!DataParallelStep.pays(parameterCount: 669_706, rows: 128, threads: 2))
    }

    /// A network with random weights and a batch of `rows` random inputs with one-hot targets.
    static func batch(_ spec: NetworkSpec, rows: Int) -> (Network<Float>, Workspace<Float>) {
        var random = SeededRandom(seed: UInt64(spec.inputs * 1000 + rows))
        let network = Network<Float>(spec: spec)
        network.initialize(.he, random: &random)
        for tensor in network.parameterTensors where tensor.value.rows == 1 {
            for j in 0..<tensor.value.count { tensor.value[j] = Float(random.nextUnit()) * 0.1 - 0.05 }
        }
        let workspace = Workspace<Float>(spec: spec, capacity: 128)
        for i in 0..<(rows * spec.inputs) { workspace.input[i] = Float(random.nextUnit()) }
        for row in 0..<rows { workspace.targets[row, random.nextIndex(below: spec.outputs)] = 1 }
        return (network, workspace)
    }
}
