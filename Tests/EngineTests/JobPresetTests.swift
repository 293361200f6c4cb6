// `{"preset": name, ...}`: the preset's whole config under the body's fields, which win field by field.
import Foundation
import Testing
@testable import Engine

struct JobPresetTests {
    @Test func aPresetAlone_isItsConfigWithItsNameRecorded() throws {
        for preset in JobPreset.all {
            var expected = preset.config
            expected.preset = preset.name
            #expect(try JobConfig(json: ["preset": preset.name]) == expected.withResolvedLoss, "\(preset.name)")
            #expect(try preset.config.model.networkSpec().outputs == 10)
        }
        #expect(JobPreset.all.first?.config == JobConfig(), "the first preset is the default job")
        #expect(try JobPreset.named("lenet5")?.config.model.networkSpec().parameterCount == 61_706)
        #expect(try JobPreset.named("cnn_wide")?.config.model.networkSpec().parameterCount == 215_370)
        // The CNN recipes train on a schedule with augmentation; PyTorch's example as the example does.
        for name in ["lenet5", "cnn_wide"] {
            let training = try #require(JobPreset.named(name)).config.training
            #expect(training.optimizer == .adamw && training.lrSchedule != nil && training.augment != nil, "\(name)")
        }
        #expect(JobPreset.named("pytorch_example")?.config.training.augment == nil)
    }

    @Test func theBodysFields_overrideThePresetsOneByOne() throws {
        let config = try JobConfig(json: ["preset": "lenet5", "name": "short", "training": ["epochs": 1, "seed": 5]])
        let lenet = try #require(JobPreset.named("lenet5")).config
        #expect(config.name == "short" && config.training.epochs == 1 && config.training.seed == 5)
        #expect(config.model.layers == lenet.model.layers)
        #expect(config.training.optimizer == lenet.training.optimizer && config.training.batchSize == lenet.training.batchSize)
        #expect(try JobConfig.parse(config.jsonData()) == config, "a stored preset job posts back unchanged")
    }

    @Test func hiddenInTheBody_replacesThePresetsLayers_andLayersReplaceHidden() throws {
        let mlp = try JobConfig(json: ["preset": "lenet5", "model": ["hidden": [32]]])
        #expect(mlp.model.layers == nil && mlp.model.hidden == [32])
        let cnn = try JobConfig(json: ["preset": "mlp", "model": ["layers": [["type": "dense", "units": 7]]]])
        #expect(cnn.model.layers == [.dense(units: 7, activation: nil)])
        #expect(throws: ConfigError(field: "model.layers", message: "give model.layers or model.hidden, not both "
                                    + "(layers lists dense layers too: {\"type\": \"dense\", \"units\": 100})")) {
            try JobConfig(json: ["preset": "lenet5", "model": ["hidden": [32], "layers": [["type": "flatten"]]]])
        }
    }

    @Test func anUnknownPreset_isRefusedNamingTheField() {
        do {
            _ = try JobConfig(json: ["preset": "lenet6"])
            Issue.record("lenet6 accepted")
        } catch let error as ConfigError {
            #expect(error.field == "preset" && JobPreset.all.allSatisfy { error.message.contains($0.name) }, "\(error)")
        } catch { Issue.record("\(error)") }
    }
}
