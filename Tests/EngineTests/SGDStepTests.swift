// One SGD step against PyTorch: the same weights and batch give the same loss, gradients and new weights
// (Fixtures/sgd_step.json, written by Fixtures/make_sgd_step.py with torch).
import Foundation
import Testing
@testable import Engine

struct SGDStepTests {
    struct Tensors: Decodable { let weight: [[Float]]; let bias: [Float] }
    struct Fixture: Decodable {
        let learning_rate: Double
        let inputs: [[Float]]
        let labels: [Int]
        let loss: Float
        let before: [Tensors], gradients: [Tensors], after: [Tensors]
    }

    static func load() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sgd_step.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    static func expectClose(_ ours: [Float], _ theirs: [Float], _ what: String) {
        #expect(ours.count == theirs.count)
        let worst = zip(ours, theirs).map { abs($0 - $1) / max(abs($1), 1e-3) }.max() ?? 0
        #expect(worst < 1e-5, "\(what): largest relative difference \(worst)")
    }

    @Test func oneSGDStep_matchesPyTorchLossGradientsAndWeights() throws {
        let fixture = try SGDStepTests.load()
        let spec = NetworkSpec(inputs: 6, hidden: [5, 4], outputs: 3, activation: .relu, output: .softmax)
        let network = Network<Float>(spec: spec)
        for (layer, tensors) in zip(network.layers, fixture.before) {
            layer.weight.assign(tensors.weight.joined())
            layer.bias.assign(tensors.bias)
        }
        let workspace = Workspace<Float>(spec: spec, capacity: fixture.labels.count)
        workspace.input.assign(fixture.inputs.joined())
        for (row, label) in fixture.labels.enumerated() { workspace.targets[row, label] = 1 }
        network.forward(workspace, rows: fixture.labels.count)
        let loss = network.backward(workspace, rows: fixture.labels.count)
        #expect(abs(loss - fixture.loss) / fixture.loss < 1e-5, "loss \(loss) vs PyTorch \(fixture.loss)")
        for (index, (layer, tensors)) in zip(network.layers, fixture.gradients).enumerated() {
            SGDStepTests.expectClose(layer.dW.toArray(), Array(tensors.weight.joined()), "layers.\(index).weight gradient")
            SGDStepTests.expectClose(layer.dB.toArray(), tensors.bias, "layers.\(index).bias gradient")
        }
        Optimizer<Float>(settings: OptimizerSettings(kind: .sgd, learningRate: fixture.learning_rate),
                         parameterCount: spec.parameterCount).update(network)
        for (index, (layer, tensors)) in zip(network.layers, fixture.after).enumerated() {
            SGDStepTests.expectClose(layer.weight.toArray(), Array(tensors.weight.joined()), "layers.\(index).weight after")
            SGDStepTests.expectClose(layer.bias.toArray(), tensors.bias, "layers.\(index).bias after")
        }
    }
}
