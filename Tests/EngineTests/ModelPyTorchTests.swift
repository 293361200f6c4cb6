// A CNN built and exported by PyTorch (Fixtures/model_v2.json, written by Fixtures/make_model_v2.py) imports,
// and the Predictor's probabilities for four fixed images are PyTorch's: within the bound the fixture derives
// for a float32 evaluation, where a wrong layout of any tensor lands far outside it.
import Foundation
import Testing
@testable import Engine

struct ModelPyTorchTests {
    struct Fixture {
        let model: Any
        let pixels: [[Float]]
        /// The float32 weights and inputs evaluated in float64: the reference.
        let probabilities: [[Double]]
        /// Per probability, how far a correct float32 evaluation can land from the reference, in any summation
        /// order: |W|-propagated γ(n+1) sums, a few ulps per tanh and leaky_relu, the float softmax's roundings.
        let bounds: [[Double]]
    }

    static func load() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/model_v2.json")
        // JSONTree, not JSONDecoder or JSONSerialization, reads the numbers as the service does (exactly).
        let tree = try #require(try JSONTree.parse(Data(contentsOf: url)) as? [String: Any])
        func table(_ key: String) throws -> [[Double]] {
            try #require(tree[key] as? [[Any]]).map { try $0.map { try #require(JSONTree.number($0)) } }
        }
        return Fixture(model: try #require(tree["model"]), pixels: try table("pixels").map { $0.map(Float.init) },
                       probabilities: try table("probabilities"), bounds: try table("bounds"))
    }

    static func predict(_ model: Model, _ fixture: Fixture) throws -> [[Double]] {
        let images = fixture.pixels.flatMap { Predictor.normalize(pixels: $0, model.normalize) }
        return try Predictor(model: model).predict(images: images).map(\.probabilities)
    }

    static func label(_ probabilities: [Double]) -> Int {
        probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? -1
    }

    /// Each probability's distance from the reference over its bound; ≤ 1 everywhere for a correct evaluation.
    static func worstRatio(_ ours: [[Double]], _ fixture: Fixture) -> Double {
        zip(ours, zip(fixture.probabilities, fixture.bounds)).flatMap { row, reference in
            zip(row, zip(reference.0, reference.1)).map { abs($0 - $1.0) / $1.1 }
        }.max() ?? .infinity
    }

    @Test func aPyTorchCNN_predictsPyTorchsProbabilities() throws {
        let fixture = try ModelPyTorchTests.load()
        let model = try Model(json: fixture.model)
        #expect(model.layers.map(\.typeName) == ["conv2d", "maxpool", "conv2d", "avgpool", "dropout", "flatten", "dense", "dense"])
        #expect(model.input == TensorShape(channels: 1, height: 28, width: 28) && model.parameterCount == 104 + 150 + 4720 + 170)
        let ours = try ModelPyTorchTests.predict(model, fixture)
        let worst = ModelPyTorchTests.worstRatio(ours, fixture)
        let largest = zip(ours, fixture.probabilities).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? 0
        #expect(ours.count == 4 && worst <= 1, "largest difference \(largest), \(worst) of its bound")
        print("PyTorch CNN: largest probability difference \(largest), at most \(worst) of its float32 bound")
        // The labels too, though near-ties could make them differ without an error.
        #expect(ours.map(ModelPyTorchTests.label) == fixture.probabilities.map(ModelPyTorchTests.label))

        // Exported again (v2 as the engine writes it) and read back: the very same numbers.
        let again = try Model(jsonData: model.jsonData())
        #expect(again == model && String(decoding: again.jsonData(), as: UTF8.self).contains(#""padding":"same""#))
        #expect(try ModelPyTorchTests.predict(again, fixture) == ours)
    }

    /// The mistakes a wrong reading of the format would make; each must move some probability past its bound,
    /// or the test above could not tell them from rounding.
    @Test(arguments: ["kernel rows flipped", "input channels swapped", "leaky slope 0.01", "conv bias dropped"])
    func aMisreadTensor_landsOutsideTheBound(_ mistake: String) throws {
        let fixture = try ModelPyTorchTests.load()
        var model = try Model(json: fixture.model)
        switch mistake {
        case "kernel rows flipped":  // [kh][kw] read upside down in the 5×5 first conv
            model.layers[0].weights = model.layers[0].weights.map { row in (0..<5).reversed().flatMap { r in row[(r * 5)..<(r * 5 + 5)] } }
        case "input channels swapped":  // [in] axis misordered in the second conv: channels 0 and 1 exchanged
            model.layers[2].weights = model.layers[2].weights.map { row in Array(row[6..<12] + row[0..<6] + row[12...]) }
        case "leaky slope 0.01":
            model.layers[6].leakySlope = 0.01
        default:
            model.layers[0].bias = model.layers[0].bias.map { _ in 0 }
        }
        let worst = ModelPyTorchTests.worstRatio(try ModelPyTorchTests.predict(model, fixture), fixture)
        #expect(worst > 10, "\(mistake): only \(worst) of the bound")
    }
}
