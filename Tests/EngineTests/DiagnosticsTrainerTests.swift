// Trainer.diagnostics() on real MNIST against an oracle computed from the workspace and from parameter
// snapshots taken around the step (the update ratios), for every optimizer.
import Foundation
import Testing
@testable import Engine

struct DiagnosticsTrainerTests {
    static func config(_ optimizer: OptimizerKind, weightDecay: Double = 0) -> JobConfig {
        MNISTFixture.config {
            $0.model.hidden = [64, 32]
            $0.training.optimizer = optimizer
            $0.training.learningRate = optimizer == .adam ? 0.001 : 0.05
            $0.training.weightDecay = weightDecay
            $0.training.batchSize = 100
            $0.training.seed = 7
        }
    }

    static func norm(_ values: [Float]) -> Double { values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }

    @Test(arguments: [(OptimizerKind.sgd, 0.0), (.sgd, 0.01), (.momentum, 0.0), (.momentum, 0.01), (.adam, 0.0)])
    func updateRatios_equalTheMeasuredChangeOfEveryTensor(optimizer: OptimizerKind, weightDecay: Double) throws {
        let trainer = try MNISTFixture.trainer(DiagnosticsTrainerTests.config(optimizer, weightDecay: weightDecay))
        for _ in 0..<5 { try trainer.step() }
        let before = trainer.network.parameterTensors.map { $0.value.toArray() }
        try trainer.step()
        let layers = trainer.diagnostics()
        #expect(layers.count == 3)
        for (l, stats) in layers.enumerated() {
            let weights = trainer.network.layers[l].weight.toArray(), bias = trainer.network.layers[l].bias.toArray()
            let dW = zip(weights, before[2 * l]).map { $0 - $1 }, dB = zip(bias, before[2 * l + 1]).map { $0 - $1 }
            let expectedW = norm(dW) / norm(weights), expectedB = norm(dB) / norm(bias)
            // The rebuilt step differs from the applied one only by Float rounding of p − Δ.
            #expect(abs(stats.updateRatioWeights - expectedW) < 1e-3 * expectedW, "layer \(l): \(stats.updateRatioWeights) vs \(expectedW)")
            #expect(abs(stats.updateRatioBiases - expectedB) < 1e-3 * expectedB, "layer \(l): \(stats.updateRatioBiases) vs \(expectedB)")
            #expect(abs(stats.weightNorm - norm(weights)) < 1e-6 * norm(weights))
            #expect(abs(stats.gradNorm - norm(trainer.network.layers[l].dW.toArray())) < 1e-6 * stats.gradNorm)
            #expect(abs(stats.biasGradNorm - norm(trainer.network.layers[l].dB.toArray())) < 1e-6 * stats.biasGradNorm)
        }
    }

    private func norm(_ values: [Float]) -> Double { DiagnosticsTrainerTests.norm(values) }

    @Test func activationStatistics_matchTheLastBatchComputedByHand() throws {
        let trainer = try MNISTFixture.trainer(DiagnosticsTrainerTests.config(.momentum))
        #expect(trainer.diagnostics().isEmpty)
        for _ in 0..<20 { try trainer.step() }
        let layers = trainer.diagnostics()
        #expect(layers.map(\.units) == [64, 32, 10])
        #expect(layers.map(\.activation) == ["relu", "relu", "softmax"])
        for (l, stats) in layers.enumerated() {
            let a = trainer.workspace.a[l].prefix(rows: 100)
            let values = a.toArray().map(Double.init)
            let mean = values.reduce(0, +) / Double(values.count)
            let std = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
            #expect(abs(stats.activationMean - mean) < 1e-6 * max(mean, 1))
            #expect(abs(stats.activationStd - std) < 1e-6 * std)
            #expect(stats.histogramEdges.count == 21 && stats.histogramCounts.count == 20)
            #expect(stats.histogramEdges.first == values.min() && stats.histogramEdges.last == values.max())
            #expect(stats.histogramCounts.reduce(0, +) == values.count)
            let firstBin = values.filter { $0 < stats.histogramEdges[1] }.count
            #expect(stats.histogramCounts[0] == firstBin)
            let silent = (0..<a.columns).filter { j in (0..<a.rows).allSatisfy { a[$0, j] <= 0 } }.count
            #expect(stats.deadFraction == (l < 2 ? Double(silent) / Double(a.columns) : nil))
            #expect(stats.saturatedFraction == nil)
        }
        // Softmax rows sum to 1: the output mean is exactly 1/10.
        #expect(abs(layers[2].activationMean - 0.1) < 1e-6)
    }

    @Test func sigmoidLayers_reportTheShareOfSaturatedActivations() throws {
        var config = DiagnosticsTrainerTests.config(.sgd)
        config.model.activation = .sigmoid
        config.model.initializer = .normal
        config.model.initStd = 1
        let trainer = try MNISTFixture.trainer(config)
        try trainer.step()
        for (l, stats) in trainer.diagnostics().dropLast().enumerated() {
            let values = trainer.workspace.a[l].prefix(rows: 100).toArray()
            let saturated = Double(values.filter { $0 < 0.02 || $0 > 0.98 }.count) / Double(values.count)
            #expect(stats.saturatedFraction == saturated && stats.deadFraction == nil)
            // std 1 over 784 inputs gives pre-activations of std ~9: most first-layer sigmoids saturate.
            if l == 0 { #expect(saturated > 0.5, "\(saturated)") }
        }
    }

    @Test func diagnostics_areEmptyAfterARestoreUntilTheNextStep() throws {
        let trainer = try MNISTFixture.trainer(DiagnosticsTrainerTests.config(.adam))
        for _ in 0..<3 { try trainer.step() }
        let checkpoint = trainer.checkpoint()
        try trainer.step()
        #expect(!trainer.diagnostics().isEmpty)
        try trainer.restore(checkpoint)
        #expect(trainer.diagnostics().isEmpty)
        try trainer.step()
        #expect(trainer.diagnostics().count == 3)
    }
}
