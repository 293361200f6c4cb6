// A CNN trained on MNIST leaves a model that predicts what the trainer evaluated, restarts a trainer with the
// very same parameters, and refuses a config of another architecture naming both.
import Foundation
import Testing
@testable import Engine

struct ModelTrainedCNNTests {
    static let layers: [LayerSpec] = [
        .conv2d(Conv2DSpec(filters: 4, kernel: Extent2D(square: 5), padding: .explicit(Extent2D(square: 2)))),
        .maxPool(PoolSpec(size: Extent2D(square: 2))),
        .conv2d(Conv2DSpec(filters: 6, kernel: Extent2D(square: 3), stride: Extent2D(square: 2), activation: .tanh)),
        .avgPool(PoolSpec(size: Extent2D(square: 2))),
        .dropout(rate: 0.2),
        .dense(units: 16, activation: nil),  // the flatten before it is implied
    ]

    static func config(_ change: (inout JobConfig) -> Void = { _ in }) -> JobConfig {
        MNISTFixture.config {
            $0.model.layers = layers
            $0.training.iterations = 300
            $0.training.optimizer = .adam
            $0.training.learningRate = 0.005
            change(&$0)
        }
    }

    /// Trained once for the tests of this file, which only read what it left: a conv network's trainer runs
    /// one pass at a time (its workspace has one patch scratch), and these tests run in parallel.
    static let trained: (parameters: [UInt32], model: Model, test: Evaluation) = {
        let trainer = try! MNISTFixture.trainer(config())
        while !trainer.isFinished { try! trainer.step() }
        return (trainer.network.parameters.toArray().map(\.bitPattern), trainer.model(), trainer.evaluateTest())
    }()

    @Test func theModel_predictsWhatTheTrainerEvaluated() throws {
        let (_, model, test) = ModelTrainedCNNTests.trained
        #expect(model.layers.map(\.typeName) == ["conv2d", "maxpool", "conv2d", "avgpool", "dropout", "flatten", "dense", "dense"])
        let predictions = try Predictor(model: model).predict(images: MNISTFixture.testImages)
        let correct = zip(predictions, MNISTFixture.dataset.test.labels).filter { $0.label == Int($1) }.count
        #expect(Double(correct) / 10000 == test.accuracy && test.accuracy > 0.8, "accuracy \(test.accuracy)")
    }

    @Test func theModelThroughItsJSON_restartsATrainerWithTheSameParametersBitForBit() throws {
        let (parameters, model, test) = ModelTrainedCNNTests.trained
        let exported = try Model(jsonData: model.jsonData())
        let restarted = try MNISTFixture.trainer(ModelTrainedCNNTests.config(), initialModel: exported)
        #expect(restarted.network.parameters.toArray().map(\.bitPattern) == parameters)
        #expect(restarted.evaluateTest() == test)
        // The same layers written out in full (explicit flatten, explicit activations) are the same network.
        let explicit = ModelTrainedCNNTests.config {
            $0.model.layers = Array(ModelTrainedCNNTests.layers.dropLast()) + [.flatten, .dense(units: 16, activation: .relu)]
        }
        #expect(exported.matches(try explicit.model.networkSpec()))
    }

    @Test func anotherArchitecture_isRefusedNamingBoth() throws {
        let model = ModelTrainedCNNTests.trained.model
        let other = ModelTrainedCNNTests.config {
            $0.model.layers![2] = .conv2d(Conv2DSpec(filters: 8, kernel: Extent2D(square: 3), stride: Extent2D(square: 2), activation: .tanh))
        }
        #expect(!model.matches(try other.model.networkSpec()))
        do {
            _ = try MNISTFixture.trainer(other, initialModel: model)
            Issue.record("a model of 6 filters loaded into a network of 8")
        } catch let error as ModelError {
            guard case .architectureMismatch(let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("the model is 1×28×28 → conv2d 4@5×5 pad 2 relu → maxpool 2 → conv2d 6@3×3 stride 2 tanh"))
            #expect(message.contains("the config is 1×28×28 → conv2d 4@5×5 pad 2 relu → maxpool 2 → conv2d 8@3×3 stride 2 tanh"))
        }
        #expect(!model.matches(try ModelTrainedCNNTests.config { $0.model.output = .sigmoid }.model.networkSpec()))
        #expect(!model.matches(MNISTFixture.config { $0.model.hidden = [16] }.model.spec()))
    }
}
