// The mnistd-net-v2 export of any layer stack: a bit-exact, byte-identical round trip through every layer type,
// v1 files still importing, errors that name the layer, and PyTorch's probabilities for a CNN it exported
// (Fixtures/model_v2.json, written by Fixtures/make_model_v2.py).
import Foundation
import Testing
@testable import Engine

struct ModelV2Tests {
    /// Every layer type: conv (odd kernel padded, even kernel "same", stride 2), both pools (one with a stride
    /// that differs from its size), dropout, flatten, dense; three hidden activations.
    static let spec = try! NetworkSpec(input: TensorShape(channels: 1, height: 12, width: 12), layers: [
        .conv2d(Conv2DSpec(filters: 3, kernel: Extent2D(square: 3), padding: .explicit(Extent2D(1, 0)), activation: .leakyRelu(slope: 0.2))),
        .maxPool(PoolSpec(size: Extent2D(square: 2))),
        .conv2d(Conv2DSpec(filters: 4, kernel: Extent2D(2, 3), padding: .same, activation: .tanh)),
        .avgPool(PoolSpec(size: Extent2D(square: 2), stride: Extent2D(1, 2))),
        .dropout(rate: 0.25),
        .conv2d(Conv2DSpec(filters: 2, kernel: Extent2D(square: 1), stride: Extent2D(square: 2))),
        .flatten,
        .dense(units: 5, activation: .sigmoid),
    ], outputs: 3, activation: .relu, output: .softmax)

    static func network() -> Network<Float> {
        let network = Network<Float>(spec: spec)
        var random = SeededRandom(seed: 3)
        network.initialize(.he, random: &random)
        for p in network.layers.compactMap(\.parameters) {  // biases that are not zero, and one subnormal
            p.bias.assign((0..<p.bias.count).map { Float($0) * 0.37 - 0.5 })
        }
        network.layers[0].bias[1] = Float.leastNormalMagnitude / 1000  // subnormal
        return network
    }

    static func bits(_ network: Network<Float>) -> [UInt32] { network.parameters.toArray().map(\.bitPattern) }

    @Test func aCNNWithEveryLayerType_roundTripsBitExactAndByteIdentical() throws {
        let network = ModelV2Tests.network()
        let model = Model(network: network, normalize: .standardize)
        #expect(model.layers.map(\.typeName) == ["conv2d", "maxpool", "conv2d", "avgpool", "dropout", "conv2d", "flatten", "dense", "dense"])
        let data = model.jsonData()
        let back = try Model(jsonData: data)
        #expect(back == model)
        #expect(back.jsonData() == data)
        // Back into a network: every parameter bit-identical, conv filters reordered there and back.
        let loaded = Network<Float>(spec: try back.spec())
        try back.load(into: loaded)
        #expect(ModelV2Tests.bits(loaded) == ModelV2Tests.bits(network))
        #expect(back.matches(ModelV2Tests.spec))

        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix(#"{"format":"mnistd-net-v2","input":[1,12,12],"normalize":"standardize","output":"softmax","layers":[{"type":"conv2d","kernel":[3,3],"stride":[1,1],"padding":[1,0],"activation":"leaky_relu","leaky_slope":0.2,"weights":[[[["#))
        #expect(text.contains(#"{"type":"conv2d","kernel":[2,3],"stride":[1,1],"padding":"same","activation":"tanh","#))
        #expect(text.contains(#"{"type":"avgpool","size":[2,2],"stride":[1,2]},{"type":"dropout","rate":0.25},"#))
        #expect(text.contains(#"{"type":"flatten"},{"type":"dense","activation":"sigmoid","weights":"#))
    }

    @Test func convWeights_areExportedInPyTorchsLayout() throws {
        // One filter over 2 channels of 2×3 taps: PyTorch's [out][in][kh][kw] offsets 0..11 set to themselves.
        let spec = try NetworkSpec(input: TensorShape(channels: 1, height: 4, width: 4), layers: [
            .conv2d(Conv2DSpec(filters: 2, kernel: Extent2D(square: 1))),
            .conv2d(Conv2DSpec(filters: 1, kernel: Extent2D(2, 3))),
        ], outputs: 2, activation: .relu, output: .softmax)
        let network = Network<Float>(spec: spec)
        guard case .conv2d(let g, _) = spec.plan[1] else { Issue.record("no conv"); return }
        network.layers[1].weight.assign(g.engineOrder((0..<12).map(Float.init)))
        let model = Model(network: network, normalize: .unit)
        #expect(model.layers[1].weights == [(0..<12).map(Float.init)])
        #expect(String(decoding: model.jsonData(), as: UTF8.self)
            .contains(#""weights":[[[[0.0,1.0,2.0],[3.0,4.0,5.0]],[[6.0,7.0,8.0],[9.0,10.0,11.0]]]]"#))
    }

    @Test func aDenseOnlyNetwork_exportsDenseLayersOnAFlatInput() throws {
        let network = Network<Float>(spec: NetworkSpec(inputs: 784, hidden: [8], outputs: 10, activation: .tanh, output: .softmax))
        let model = Model(network: network, normalize: .unit)
        let text = String(decoding: model.jsonData(), as: UTF8.self)
        #expect(text.hasPrefix(#"{"format":"mnistd-net-v2","input":[784],"normalize":"unit","output":"softmax","layers":[{"type":"dense","activation":"tanh","weights":"#))
        #expect(!text.contains("flatten") && model.layers.count == 2)
        // The same network configured as `model.layers` plans on a 1×28×28 image; it is the same network.
        let listed = try NetworkSpec(input: TensorShape(image: 784), layers: [.dense(units: 8, activation: nil)],
                                     outputs: 10, activation: .tanh, output: .softmax)
        #expect(model.matches(listed) && model.matches(network.spec))
        #expect(!model.matches(NetworkSpec(inputs: 784, hidden: [8], outputs: 10, activation: .relu, output: .softmax)))
    }

    @Test func v1Files_stillImport() throws {
        let v1 = #"{"format":"mnistd-mlp-v1","output":"softmax","normalize":"unit","layers":[{"weights":[[0.5,-1],[2,0.25],[1e-3,3]],"bias":[0,1,-1],"activation":"leaky_relu","leaky_slope":0.05},{"weights":[[1,2,3]],"bias":[0.5],"activation":"softmax"}]}"#
        let model = try Model(jsonData: Data(v1.utf8))
        #expect(model.input == TensorShape(features: 2) && model.isDenseOnly && model.hidden == [3])
        #expect(model.layers[0].weights == [[0.5, -1], [2, 0.25], [1e-3, 3]] && model.layers[1].bias == [0.5])
        #expect(model.hiddenActivation == .leakyRelu(slope: 0.05))
        #expect(model.matches(NetworkSpec(inputs: 2, hidden: [3], outputs: 1, activation: .leakyRelu(slope: 0.05), output: .softmax)))
        // Read as v1, written as v2, read back the same.
        let v2 = model.jsonData()
        #expect(String(decoding: v2, as: UTF8.self).hasPrefix(#"{"format":"mnistd-net-v2","input":[2],"#))
        #expect(try Model(jsonData: v2) == model)
    }

    @Test func describe_namesEveryLayer() throws {
        let lenet = try NetworkSpec(input: TensorShape(image: 784), layers: Presets.lenet5Layers, outputs: 10,
                                    activation: .relu, output: .softmax)
        #expect(Model.describe(lenet) == "1×28×28 → conv2d 6@5×5 pad 2 relu → maxpool 2 → conv2d 16@5×5 relu → maxpool 2 → "
                + "flatten → dense 120 relu → dense 84 relu → dense 10 softmax")
        #expect(Model.describe(NetworkSpec(inputs: 784, hidden: [100, 30], outputs: 10, activation: .tanh, output: .softmax))
                == "784-100-30-10 tanh/softmax")
        #expect(Model.describe(NetworkSpec(inputs: 784, hidden: [], outputs: 10, activation: .tanh, output: .linear)) == "784-10 linear")
        #expect(Model(network: ModelV2Tests.network(), normalize: .unit).architectureDescription
                == "1×12×12 → conv2d 3@3×3 pad 1×0 leaky_relu 0.2 → maxpool 2 → conv2d 4@2×3 pad same tanh → avgpool 2 stride 1×2 "
                + "→ dropout 0.25 → conv2d 2@1×1 stride 2 relu → flatten → dense 5 sigmoid → dense 3 softmax")
    }
}
