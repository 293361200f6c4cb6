// Job config parsing: defaults, every field's type and range, unknown fields named, encoding round trip.
import Foundation
import Testing
@testable import Engine

struct JobConfigTests {
    static func parse(_ json: String) throws -> JobConfig { try JobConfig.parse(Data(json.utf8)) }

    static func field(of json: String) -> String? {
        do { _ = try parse(json); return nil } catch let error as ConfigError { return error.field } catch { return "?" }
    }

    @Test func parse_ofAnEmptyObjectGivesTheDefaultsOfAPIMd() throws {
        let config = try JobConfigTests.parse("{}")
        #expect(config == JobConfig())
        #expect(config.model.hidden == [100, 100, 100, 100] && config.model.activation == .relu)
        #expect(config.model.resolvedLoss == .crossEntropy)
        #expect(config.training.epochs == 10 && config.training.batchSize == 128 && config.training.optimizer == .momentum)
        #expect(config.training.learningRate == 0.05 && config.training.momentum == 0.9 && config.training.shuffle)
        #expect(config.training.totalIterations(trainCount: 60000) == 10 * 469)
    }

    @Test func parse_readsEveryField() throws {
        let config = try JobConfigTests.parse("""
        {"name": "r", "dataset": "fashion-mnist", "model": {"hidden": [64, 32], "activation": "leaky_relu",
         "leaky_slope": 0.2, "init": "uniform", "init_std": 0.5, "init_range": [-0.1, 0.3], "output": "linear",
         "loss": "cross_entropy", "from_model": "m1"},
         "training": {"epochs": 3, "iterations": 77, "batch_size": 32, "optimizer": "adam", "learning_rate": 0.001,
         "momentum": 0, "weight_decay": 0.0005, "shuffle": false, "seed": 42, "normalize": "standardize", "eval_every": 10}}
        """)
        #expect(config.name == "r" && config.dataset == "fashion-mnist")
        #expect(config.model.hidden == [64, 32] && config.model.hiddenActivation == .leakyRelu(slope: 0.2))
        #expect(config.model.weightInitializer == .uniform(low: -0.1, high: 0.3))
        #expect(config.model.output == .linear && config.model.resolvedLoss == .crossEntropy && config.model.fromModel == "m1")
        #expect(config.training.totalIterations(trainCount: 60000) == 77)
        #expect(config.training.optimizerSettings == OptimizerSettings(kind: .adam, learningRate: 0.001, momentum: 0, weightDecay: 0.0005))
        #expect(!config.training.shuffle && config.training.seed == 42 && config.training.normalize == .standardize)
        #expect(config.training.evalEvery == 10)
    }

    @Test func parse_defaultsTheLossToMSEForReLUAndLinearOutputs() throws {
        #expect(try JobConfigTests.parse(#"{"model": {"output": "relu"}}"#).model.resolvedLoss == .mse)
        #expect(try JobConfigTests.parse(#"{"model": {"output": "sigmoid", "loss": null}}"#).model.resolvedLoss == .crossEntropy)
    }

    @Test func parse_namesTheMisspelledField() {
        #expect(JobConfigTests.field(of: #"{"training": {"learnin_rate": 0.1}}"#) == "training.learnin_rate")
        #expect(JobConfigTests.field(of: #"{"modle": {}}"#) == "modle")
        #expect(JobConfigTests.field(of: #"{"model": {"activaton": "relu"}}"#) == "model.activaton")
    }

    @Test(arguments: [
        (#"{"training": {"epochs": 0}}"#, "training.epochs"),
        (#"{"training": {"epochs": 1001}}"#, "training.epochs"),
        (#"{"training": {"epochs": 2.5}}"#, "training.epochs"),
        (#"{"training": {"epochs": "3"}}"#, "training.epochs"),
        (#"{"training": {"iterations": 10000001}}"#, "training.iterations"),
        (#"{"training": {"batch_size": 60001}}"#, "training.batch_size"),
        (#"{"training": {"learning_rate": 0}}"#, "training.learning_rate"),
        (#"{"training": {"learning_rate": -1}}"#, "training.learning_rate"),
        (#"{"training": {"momentum": 1}}"#, "training.momentum"),
        (#"{"training": {"weight_decay": -0.1}}"#, "training.weight_decay"),
        (#"{"training": {"shuffle": 1}}"#, "training.shuffle"),
        (#"{"training": {"seed": -1}}"#, "training.seed"),
        (#"{"training": {"seed": true}}"#, "training.seed"),
        (#"{"training": {"optimizer": "SGD"}}"#, "training.optimizer"),
        (#"{"training": {"normalize": "zscore"}}"#, "training.normalize"),
        (#"{"training": {"eval_every": -1}}"#, "training.eval_every"),
        (#"{"training": []}"#, "training"),
        (#"{"model": {"hidden": [100, 0]}}"#, "model.hidden[1]"),
        (#"{"model": {"hidden": [4097]}}"#, "model.hidden[0]"),
        (#"{"model": {"hidden": [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}}"#, "model.hidden"),
        (#"{"model": {"hidden": 100}}"#, "model.hidden"),
        (#"{"model": {"init_std": 0}}"#, "model.init_std"),
        (#"{"model": {"init_range": [0.5]}}"#, "model.init_range"),
        (#"{"model": {"activation": "ReLU"}}"#, "model.activation"),
        (#"{"model": {"output": "softmax2"}}"#, "model.output"),
        (#"{"model": {"loss": "hinge"}}"#, "model.loss"),
        (#"{"dataset": "../etc"}"#, "dataset"),
        (#"{"dataset": ""}"#, "dataset"),
        (#"{"name": 5}"#, "name"),
        (#"[1, 2]"#, ""),
        (#"{"training": {"#, ""),
    ])
    func parse_rejectsOutOfRangeOrMistypedFields(json: String, field: String) {
        #expect(JobConfigTests.field(of: json) == field, "\(json)")
    }

    static func message(of json: String) -> String? {
        do { _ = try parse(json); return nil } catch let error as ConfigError { return error.message } catch { return "?" }
    }

    @Test func errors_quoteTheValueAsWritten() {
        // An integer field once answered "got 0.0" for 0; the user wrote 0.
        #expect(JobConfigTests.message(of: #"{"training": {"epochs": 0}}"#) == "must be an integer in 1...1000, got 0")
        #expect(JobConfigTests.message(of: #"{"training": {"batch_size": 1.5}}"#)?.hasSuffix("got 1.5") == true)
        #expect(JobConfigTests.message(of: #"{"training": {"learning_rate": -2}}"#)?.hasSuffix("got -2") == true)
    }

    @Test func notJSON_saysWhereTheParserStopped() {
        // The same parser reads POST /jobs bodies and `mnistd train --config` files, so the message names neither.
        let message = JobConfigTests.message(of: "{\"training\": {")
        #expect(message?.hasPrefix("not valid JSON") == true && message?.contains("body") == false, "\(message ?? "nil")")
    }

    @Test func encoding_fillsEveryDefaultAndParsesBackToTheSameConfig() throws {
        var config = JobConfig()
        config.name = "n"
        config.model.hidden = [10]
        config.training.iterations = 5
        config.training.seed = 9_007_199_254_740_991
        let object = config.jsonObject()
        #expect((object["model"] as? [String: Any])?["loss"] as? String == "cross_entropy")
        #expect((object["training"] as? [String: Any])?.count == JobConfig.fields(in: "training").count)
        #expect((object["model"] as? [String: Any])?.count == JobConfig.fields(in: "model").count)
        var back = try JobConfig.parse(config.jsonData())
        #expect(back.model.loss == .crossEntropy)
        back.model.loss = nil
        #expect(back == config)
    }
}
