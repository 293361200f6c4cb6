// One SGD step of a conv/pool/dense network against PyTorch in float64 (Fixtures/conv_step.json, written by
// Fixtures/make_conv_step.py): the same parameters and batch give the same loss, gradients and new parameters.
// Conv weights map one to one ([out][in][kh][kw]) and flatten follows PyTorch's NCHW order, or this fails.
import Foundation
import Testing
@testable import Engine

struct ConvStepTests {
    struct Tensors: Decodable { let weight: [Double]; let bias: [Double] }
    struct Fixture: Decodable {
        let learning_rate: Double
        let inputs: [[Double]]
        let labels: [Int]
        let loss: Double
        let before: [Tensors], gradients: [Tensors], after: [Tensors]
    }

    static func load() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/conv_step.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// Both sides compute in double: sums of at most a few hundred terms of size ≤ ~10 round to ~1e-13, so
    /// 1e-10 · (1 + |x|) is a bound a correct rule always meets and any wrong one (off by ≥ 1e-3) fails.
    static func expectClose(_ ours: [Double], _ theirs: [Double], _ what: String) {
        #expect(ours.count == theirs.count, "\(what): \(ours.count) values, PyTorch has \(theirs.count)")
        let worst = zip(ours, theirs).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? 0
        #expect(worst < 1e-10, "\(what): largest difference \(worst)")
    }

    @Test func oneSGDStep_ofACNN_matchesPyTorch() throws {
        let fixture = try ConvStepTests.load()
        let spec = try NetworkSpec(input: TensorShape(channels: 1, height: 12, width: 12), layers: [
            .conv2d(Conv2DSpec(filters: 3, kernel: Extent2D(square: 3), padding: .explicit(Extent2D(square: 1)), activation: .relu)),
            .maxPool(PoolSpec(size: Extent2D(square: 2))),
            .conv2d(Conv2DSpec(filters: 4, kernel: Extent2D(square: 3), activation: .tanh)),
            .avgPool(PoolSpec(size: Extent2D(square: 2))),
            .flatten,
            .dense(units: 5, activation: .relu),
        ], outputs: 3, activation: .relu, output: .softmax)
        let network = Network<Double>(spec: spec)
        let parametric = network.layers.compactMap(\.parameters)
        #expect(parametric.count == fixture.before.count)
        // Conv filters reordered from PyTorch's [in][kh][kw] into the engine's (kh, kw, in), and back to compare.
        let orders: [(engine: ([Double]) -> [Double], pytorch: ([Double]) -> [Double])] = spec.plan.compactMap {
            switch $0 {
            case .conv2d(let g, _): return ({ g.engineOrder($0) }, { g.pytorchOrder($0) })
            case .dense: return ({ $0 }, { $0 })
            default: return nil
            }
        }
        for ((layer, tensors), order) in zip(zip(parametric, fixture.before), orders) {
            layer.weight.assign(order.engine(tensors.weight))
            layer.bias.assign(tensors.bias)
        }
        let workspace = Workspace<Double>(spec: spec, capacity: fixture.labels.count)
        workspace.input.assign(fixture.inputs.joined())
        for (row, label) in fixture.labels.enumerated() { workspace.targets[row, label] = 1 }
        network.forward(workspace, rows: fixture.labels.count)
        let loss = network.backward(workspace, rows: fixture.labels.count)
        ConvStepTests.expectClose([loss], [fixture.loss], "loss")
        for (index, (layer, tensors)) in zip(parametric, fixture.gradients).enumerated() {
            ConvStepTests.expectClose(orders[index].pytorch(layer.dW.toArray()), tensors.weight, "parametric layer \(index) weight gradient")
            ConvStepTests.expectClose(layer.dB.toArray(), tensors.bias, "parametric layer \(index) bias gradient")
        }
        Optimizer<Double>(settings: OptimizerSettings(kind: .sgd, learningRate: fixture.learning_rate),
                          parameterCount: spec.parameterCount).update(network)
        for (index, (layer, tensors)) in zip(parametric, fixture.after).enumerated() {
            ConvStepTests.expectClose(orders[index].pytorch(layer.weight.toArray()), tensors.weight, "parametric layer \(index) weight after")
            ConvStepTests.expectClose(layer.bias.toArray(), tensors.bias, "parametric layer \(index) bias after")
        }
    }
}
