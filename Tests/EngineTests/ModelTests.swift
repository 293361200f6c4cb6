// A dense model's export (written as mnistd-net-v2, read as v2 or v1): lossless round trip, clear errors naming
// the layer for malformed v1 imports, and a Predictor that agrees with the trainer.
import Foundation
import Testing
@testable import Engine

struct ModelTests {
    static func model() -> Model {
        let spec = NetworkSpec(inputs: 3, hidden: [4], outputs: 2, activation: .leakyRelu(slope: 0.2), output: .softmax)
        let network = Network<Float>(spec: spec)
        var random = SeededRandom(seed: 1)
        network.initialize(.he, random: &random)
        network.layers[1].bias.assign([1e-7, -3.25])
        return Model(network: network, normalize: .standardize)
    }

    @Test func export_thenImportGivesBackBitIdenticalWeights() throws {
        let model = ModelTests.model()
        let data = model.jsonData()
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["format"] as? String == "mnistd-net-v2" && object?["output"] as? String == "softmax")
        #expect(object?["input"] as? [Int] == [3])
        #expect(object?["normalize"] as? String == "standardize")
        let back = try Model(jsonData: data)
        #expect(back == model)
        #expect(back.hiddenActivation == .leakyRelu(slope: 0.2) && back.hidden == [4] && back.inputs == 3)
    }

    static func error(_ json: String) -> ModelError? {
        do { _ = try Model(jsonData: Data(json.utf8)); return nil } catch let error as ModelError { return error } catch { return nil }
    }

    @Test func import_namesTheLayerWhoseShapesDisagree() {
        let bad = #"{"format":"mnistd-mlp-v1","output":"softmax","normalize":"unit","layers":[{"weights":[[1,2],[3,4]],"bias":[0,0],"activation":"relu"},{"weights":[[1,2,3]],"bias":[0],"activation":"softmax"}]}"#
        guard case .layerShape(let layer, let message) = ModelTests.error(bad) else { Issue.record("accepted"); return }
        #expect(layer == 1 && message.contains("3 columns"))
        let bias = #"{"format":"mnistd-mlp-v1","output":"softmax","layers":[{"weights":[[1,2]],"bias":[0,0],"activation":"softmax"}]}"#
        #expect(ModelTests.error(bias)?.field == "layers[0]")
    }

    @Test func import_rejectsWrongFormatActivationsAndNumbers() {
        #expect(ModelTests.error("[]") == .notJSON)
        #expect(ModelTests.error(#"{"format":"onnx"}"#) == .wrongFormat("onnx"))
        #expect(ModelTests.error(#"{"format":"mnistd-mlp-v1","output":"softmax"}"#) == .missingField("layers"))
        let unknown = #"{"format":"mnistd-mlp-v1","output":"softmax","layers":[{"weights":[[1]],"bias":[0],"activation":"gelu"},{"weights":[[1]],"bias":[0],"activation":"softmax"}]}"#
        #expect(ModelTests.error(unknown) == .unknownActivation(layer: 0, name: "gelu"))
        let text = #"{"format":"mnistd-mlp-v1","output":"linear","layers":[{"weights":[["x"]],"bias":[0],"activation":"linear"}]}"#
        #expect(ModelTests.error(text) == .nonFinite(layer: 0))
        let mismatch = #"{"format":"mnistd-mlp-v1","output":"linear","layers":[{"weights":[[1]],"bias":[0],"activation":"softmax"}]}"#
        #expect(ModelTests.error(mismatch)?.field == "layers[0]")
    }

    @Test func predictor_returnsProbabilitiesSummingToOneForEveryOutput() throws {
        for output in OutputActivation.allCases {
            var model = ModelTests.model()
            model.output = output
            model.layers[1].activation = output.rawValue
            let predictions = try Predictor(model: model).predict(images: [0.1, 0.9, -0.4, 2, 0, 1])
            #expect(predictions.count == 2)
            for p in predictions {
                #expect(abs(p.probabilities.reduce(0, +) - 1) < 1e-9 && p.probabilities.allSatisfy { $0 >= 0 })
                #expect(p.label == p.probabilities.indices.max { p.probabilities[$0] < p.probabilities[$1] })
            }
        }
    }

    @Test func predictor_agreesWithTheTrainersTestAccuracy() throws {
        let trainer = try MNISTFixture.trainer(MNISTFixture.config {
            $0.model.hidden = [32]; $0.training.iterations = 200; $0.training.optimizer = .adam; $0.training.learningRate = 0.002
        })
        while !trainer.isFinished { try trainer.step() }
        let predictions = try Predictor(model: trainer.model()).predict(images: MNISTFixture.testImages)
        let correct = zip(predictions, MNISTFixture.dataset.test.labels).filter { $0.label == Int($1) }.count
        #expect(Double(correct) / 10000 == trainer.evaluateTest().accuracy)
    }
}
