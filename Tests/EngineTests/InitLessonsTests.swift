// The classic initialisation lessons reproduced on real data with fixed seeds (docs/diagnostics.md): how the
// init scales activations through depth, and which inits let a deep ReLU network learn.
import Testing
@testable import Engine

@Suite(.serialized) struct InitLessonsTests {
    /// Mean and second moment of the input and of each of 5 ReLU layers of 100 units over 1000 standard-normal
    /// inputs (the classic init comparison).
    static func layerMoments(_ initializer: Initializer, seed: UInt64) -> [(mean: Double, second: Double)] {
        let spec = NetworkSpec(inputs: 100, hidden: [100, 100, 100, 100], outputs: 100, activation: .relu, output: .relu)
        var random = SeededRandom(seed: seed)
        let network = Network<Float>(spec: spec)
        network.initialize(initializer, random: &random)
        let workspace = Workspace<Float>(spec: spec, capacity: 1000)
        workspace.input.assign((0..<workspace.input.count).map { _ in Float(random.nextNormal()) })
        network.forward(workspace, rows: 1000)
        return ([workspace.input] + workspace.a).map { a in
            let values = (0..<a.count).map { Double(a[$0]) }
            return (values.reduce(0, +) / Double(a.count), values.reduce(0) { $0 + $1 * $1 } / Double(a.count))
        }
    }

    static func layerMeans(_ initializer: Initializer, seed: UInt64) -> [Double] {
        layerMoments(initializer, seed: seed).dropFirst().map(\.mean)
    }

    @Test func smallStdActivationsShrinkLayerByLayer() {
        // The variance argument, one layer at a time: a pre-activation over n inputs is N(0, n·σ²·E[a²]) over
        // the weights, and a ReLU of N(0, s²) has mean s/√(2π). With n = 100, σ = 0.01 each layer's mean is
        // ×√(n·σ²/2) = ×0.0707 of the last: 0.0399, 0.00282, 0.000199, ... Each prediction uses the measured
        // E[a²] of the layer below, so sampling noise does not compound. What is left is the spread of a mean
        // over only 100 units, each with its own fixed offset Σw·E[a] (a ReLU's E[a]² is 1/π of its E[a²]):
        // over 200 weight draws in NumPy its relative std was 7-11% per layer, the worst 33%. Within a factor
        // 1.5 either way is four standard deviations and more than the worst draw.
        let moments = InitLessonsTests.layerMoments(.normal(std: 0.01), seed: 4)
        for l in 1..<moments.count {
            let predicted = (100 * 0.01 * 0.01 * moments[l - 1].second).squareRoot() / (2 * Double.pi).squareRoot()
            #expect(moments[l].mean > predicted / 1.5 && moments[l].mean < predicted * 1.5,
                    "layer \(l): \(moments[l].mean) vs \(predicted)")
            #expect(moments[l].mean < moments[l - 1].mean / 10 || l == 1)
        }
    }

    @Test func heActivationsStayLevelThroughFiveLayers() {
        let means = InitLessonsTests.layerMeans(.he, seed: 4)
        // He keeps the spread: every layer's mean within a factor 2 of the first (std=0.01 loses 10× per layer).
        for mean in means { #expect(mean > means[0] / 2 && mean < means[0] * 2, "\(means)") }
    }

    /// Mean minibatch loss of the last 100 of 2000 SGD steps (lr 0.01, batch 128) on 784-100-100-100-100-10.
    static func lastLoss(_ initializer: InitKind, std: Double = 0.01) throws -> Double {
        let config = MNISTFixture.config {
            $0.model.initializer = initializer
            $0.model.initStd = std
            $0.training.optimizer = .sgd
            $0.training.learningRate = 0.01
            $0.training.iterations = 2000
            $0.training.seed = 4
        }
        let trainer = try MNISTFixture.trainer(config)
        var losses: [Double] = []
        for _ in 0..<2000 { losses.append(try trainer.step().loss) }
        return losses.suffix(100).reduce(0, +) / 100
    }

    @Test func stdPoint01DoesNotLearnWhileHeBeatsXavier() throws {
        // PyTorch on the same data and schedule: 2.301, 0.318 (xavier), 0.237 (he).
        let small = try InitLessonsTests.lastLoss(.normal)
        let xavier = try InitLessonsTests.lastLoss(.xavier)
        let he = try InitLessonsTests.lastLoss(.he)
        print("init comparison, mean loss of iterations 1901-2000: std=0.01 \(small), xavier \(xavier), he \(he)")
        #expect(small > 2.2)
        #expect(he < xavier && xavier < 1.0)
    }

    @Test func uniformHalfInitLearnsMNISTInOneEpoch() throws {
        let config = MNISTFixture.config {
            $0.model.initializer = .uniform
            $0.model.initRange = [-0.5, 0.5]
            $0.model.hidden = [100]
            $0.training.optimizer = .sgd
            $0.training.learningRate = 0.1
            $0.training.epochs = 1
            $0.training.batchSize = 64
        }
        let trainer = try MNISTFixture.trainer(config)
        while !trainer.isFinished { try trainer.step() }
        let test = trainer.evaluateTest()
        print("uniform(-0.5, 0.5), one epoch: test accuracy \(test.accuracy)")
        #expect(test.accuracy > 0.90)
    }
}
