// Convolutional networks trained on real MNIST by the stepping trainer: they learn, the same seed gives the
// same bits on one thread and on two, dropout draws from its own seeded stream, and a checkpoint taken
// mid-epoch resumes bit-identically (dropout's stream included).
import Foundation
import Testing
@testable import Engine

struct ConvTrainerTests {
    /// A small CNN: conv 4 5×5, maxpool 2, conv 8 3×3, maxpool 2, dropout, dense 32 (ReLU, He init, Adam).
    static let small = MNISTFixture.config {
        $0.model.layers = [
            .conv2d(Conv2DSpec(filters: 4, kernel: Extent2D(square: 5))),
            .maxPool(PoolSpec(size: Extent2D(square: 2))),
            .conv2d(Conv2DSpec(filters: 8, kernel: Extent2D(square: 3), padding: .same)),
            .maxPool(PoolSpec(size: Extent2D(square: 2))),
            .dropout(rate: 0.25),
            .dense(units: 32, activation: nil),
        ]
        $0.training.batchSize = 64
        $0.training.optimizer = .adam
        $0.training.learningRate = 0.002
        $0.training.seed = 5
        $0.training.iterations = 300
    }

    static func trainer(_ config: JobConfig, threads: Int? = nil) throws -> Trainer {
        try Trainer(config: config, trainImages: MNISTFixture.trainImages, trainLabels: MNISTFixture.dataset.train.labels,
                    testImages: MNISTFixture.testImages, testLabels: MNISTFixture.dataset.test.labels, threads: threads)
    }

    @Test func aSmallCNN_learnsMNISTIn300Steps() throws {
        let trainer = try ConvTrainerTests.trainer(ConvTrainerTests.small)
        #expect(trainer.spec.plan.map(\.typeName) == ["conv2d", "maxpool", "conv2d", "maxpool", "dropout", "flatten",
                                                      "dense", "dense"])
        let before = trainer.evaluate(images: Array(MNISTFixture.testImages[0..<(2000 * 784)]),
                                      labels: Array(MNISTFixture.dataset.test.labels[0..<2000]))
        while !trainer.isFinished { try trainer.step() }
        let after = trainer.evaluate(images: Array(MNISTFixture.testImages[0..<(2000 * 784)]),
                                     labels: Array(MNISTFixture.dataset.test.labels[0..<2000]))
        // 300 steps of 64 (a third of an epoch): chance is 10%; a working CNN is past 90% on held-out images.
        #expect(before.accuracy < 0.3)
        #expect(after.accuracy > 0.9, "test accuracy \(after.accuracy) after 300 steps")
        #expect(after.loss < before.loss / 3)
    }

    @Test func oneAndTwoThreads_giveBitIdenticalWeights() throws {
        var config = ConvTrainerTests.small
        config.training.iterations = 25
        let one = try ConvTrainerTests.trainer(config, threads: 1), two = try ConvTrainerTests.trainer(config, threads: 2)
        for _ in 0..<25 { #expect(try one.step() == two.step()) }
        #expect(one.network.parameters.toArray() == two.network.parameters.toArray())
    }

    @Test func checkpoint_resumesBitIdenticallyWithDropout() throws {
        var config = ConvTrainerTests.small
        config.training.iterations = 40
        let straight = try ConvTrainerTests.trainer(config)
        for _ in 0..<40 { try straight.step() }
        let first = try ConvTrainerTests.trainer(config)
        for _ in 0..<25 { try first.step() }
        let data = try JSONEncoder().encode(first.checkpoint())
        let second = try ConvTrainerTests.trainer(config)
        try second.restore(JSONDecoder().decode(Checkpoint.self, from: data))
        for _ in 0..<15 { try second.step() }
        #expect(second.network.parameters.toArray() == straight.network.parameters.toArray())
    }

    @Test func dropout_drawsFromItsOwnStream() throws {
        // Without its dropout layer the same seed gives the same initial weights and the same first batch.
        var without = ConvTrainerTests.small
        without.model.layers = ConvTrainerTests.small.model.layers!.filter { if case .dropout = $0 { false } else { true } }
        let a = try ConvTrainerTests.trainer(ConvTrainerTests.small), b = try ConvTrainerTests.trainer(without)
        #expect(a.network.parameters.toArray() == b.network.parameters.toArray())
        try a.step(); try b.step()
        #expect(a.workspace.input.toArray() == b.workspace.input.toArray())
        // The masks keep about 1 − rate of the units, each scaled by 1 / (1 − rate).
        let dropoutLayer = a.spec.plan.firstIndex { $0.typeName == "dropout" }!
        let mask = a.workspace.z[dropoutLayer].prefix(rows: 64).toArray()
        let kept = mask.filter { $0 != 0 }
        #expect(Set(kept) == [Float(1 / 0.75)])
        // 64 × 288 draws: the kept share is 0.75 within 5 standard deviations (σ = √(0.75·0.25/n)).
        let share = Double(kept.count) / Double(mask.count)
        #expect(abs(share - 0.75) < 5 * (0.75 * 0.25 / Double(mask.count)).squareRoot())
    }

    @Test func evaluation_treatsDropoutAsTheIdentity() throws {
        let trainer = try ConvTrainerTests.trainer(ConvTrainerTests.small)
        let images = Array(MNISTFixture.testImages[0..<(100 * 784)]), labels = Array(MNISTFixture.dataset.test.labels[0..<100])
        #expect(trainer.evaluate(images: images, labels: labels) == trainer.evaluate(images: images, labels: labels))
        var without = ConvTrainerTests.small
        without.model.layers = ConvTrainerTests.small.model.layers!.filter { if case .dropout = $0 { false } else { true } }
        let plain = try ConvTrainerTests.trainer(without)
        #expect(trainer.evaluate(images: images, labels: labels) == plain.evaluate(images: images, labels: labels))
    }
}

extension ConvTrainerTests {
    @Test func lenet5sTrainingWorkspaceAtBatch128_isOneAllocationUnder64MB() throws {
        let spec = try NetworkSpec(input: TensorShape(channels: 1, height: 28, width: 28), layers: Presets.lenet5Layers,
                                   outputs: 10, activation: .relu, output: .softmax)
        let bytes = Workspace<Float>.bytes(spec, capacity: 128, keepsPatches: true)
        // Activations 3 × 8,494 scalars per sample and the shared patches of conv2, 100 × 150 per sample (conv1,
        // on the single-channel kernel, keeps no patches and its scratch is smaller), and conv2's weight-gradient
        // partials: 4 chunks of 40 samples, each 16 × 150 weights and 16 biases.
        #expect(bytes == (128 * (784 + 10 + 3 * 8_494 + 15_000) + 4 * (16 * 150 + 16)) * 4)
        #expect(bytes < 64 << 20)
        let workspace = Workspace<Float>(spec: spec, capacity: 128, keepsPatches: true)
        #expect(workspace.ownPatches.compactMap { $0 }.isEmpty)
        #expect(workspace.columns.count == 128 * 15_000)
        // An evaluation workspace keeps no patches and holds as many samples as fit in 64 MB.
        let example = try NetworkSpec(input: TensorShape(channels: 1, height: 28, width: 28),
                                      layers: Presets.pytorchExampleLayers, outputs: 10, activation: .relu, output: .softmax)
        for spec in [spec, example] {
            let capacity = Workspace<Float>.evaluationCapacity(spec, limit: 1000)
            #expect(capacity < 1000 && Workspace<Float>.bytes(spec, capacity: capacity) <= 64 << 20)
            #expect(Workspace<Float>.bytes(spec, capacity: capacity + 1) > 64 << 20)
        }
        let mlp = NetworkSpec(inputs: 784, hidden: [100], outputs: 10, activation: .relu, output: .softmax)
        #expect(Workspace<Float>.evaluationCapacity(mlp, limit: 1000) == 1000)
    }
}
