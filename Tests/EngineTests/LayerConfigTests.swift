// `model.layers` read through the layer descriptions: the contract's example reads as written, every key of
// every layer type refuses values past its description naming `model.layers[i].key`, and what the encoder
// writes reads back to the same config.
import Foundation
import Testing
@testable import Engine

struct LayerConfigTests {
    static func config(_ layers: Any, model extra: [String: Any] = [:]) throws -> JobConfig {
        try JobConfig(json: ["model": extra.merging(["layers": layers]) { $1 }])
    }

    static func error(_ layers: Any, model extra: [String: Any] = [:]) -> ConfigError? {
        do { _ = try config(layers, model: extra); return nil } catch let error as ConfigError { return error } catch {
            Issue.record("\(error)"); return nil
        }
    }

    /// A layer of `type` with every required key at a value its description accepts.
    static func minimal(_ type: LayerType) -> [String: Any] {
        var object: [String: Any] = ["type": type.name]
        for key in type.fields where key.isRequired { object[key.key] = ConfigFieldsTests.goodValues(key.type)[0] }
        return object
    }

    @Test func theContractsExample_readsAsWritten() throws {
        let config = try Self.config([
            ["type": "conv2d", "filters": 6, "kernel": 5, "stride": 1, "padding": 2, "activation": "relu"],
            ["type": "maxpool", "size": 2],
            ["type": "conv2d", "filters": 16, "kernel": 5],
            ["type": "avgpool", "size": 2, "stride": 2],
            ["type": "dropout", "rate": 0.25],
            ["type": "flatten"],
            ["type": "dense", "units": 120, "activation": "relu"],
        ], model: ["activation": "tanh"])
        let five = Extent2D(square: 5), two = Extent2D(square: 2)
        #expect(config.model.layers == [
            .conv2d(Conv2DSpec(filters: 6, kernel: five, padding: .explicit(two), activation: .relu)),
            .maxPool(PoolSpec(size: two, stride: two)),
            .conv2d(Conv2DSpec(filters: 16, kernel: five, activation: nil)),
            .avgPool(PoolSpec(size: two, stride: two)),
            .dropout(rate: 0.25),
            .flatten,
            .dense(units: 120, activation: .relu),
        ])
        let spec = try config.model.networkSpec()
        // The second conv takes the model's tanh; 6×28×28 → 6×14×14 → 16×10×10 → 16×5×5 → 400 → 120 → 10.
        #expect(spec.plan[2].activation == .tanh)
        #expect(spec.widths == [784, 4704, 1176, 1600, 400, 400, 400, 120, 10])
        #expect(spec.parameterCount == (6 * 25 + 6) + (16 * 150 + 16) + (400 * 120 + 120) + (120 * 10 + 10))
    }

    @Test func theLeNet5Preset_writtenAsJSON_isThePresetsLayers() throws {
        let config = try Self.config([
            ["type": "conv2d", "filters": 6, "kernel": [5, 5], "padding": 2], ["type": "maxpool", "size": 2],
            ["type": "conv2d", "filters": 16, "kernel": 5], ["type": "maxpool", "size": [2, 2], "stride": NSNull()],
            ["type": "flatten"], ["type": "dense", "units": 120], ["type": "dense", "units": 84],
        ])
        #expect(config.model.layers == Presets.lenet5Layers)
        #expect(try config.model.networkSpec().parameterCount == 61_706)
    }

    @Test(arguments: LayerType.all.map(\.name))
    func everyKeyOfEveryType_refusesWhatItsDescriptionRefuses(type name: String) throws {
        let type = try #require(LayerType.named(name))
        #expect(Self.error([Self.minimal(type)]) == nil, "\(name): the minimal layer is refused")
        for key in type.fields {
            for value in ConfigFieldsTests.badValues(key.type) {
                var layer = Self.minimal(type)
                layer[key.key] = value
                let error = try #require(Self.error([["type": "flatten"], layer]), "\(name).\(key.key) accepted \(value)")
                #expect(error.field == "model.layers[1].\(key.key)", "\(name).\(key.key) = \(value): \(error)")
            }
            if key.isRequired {
                var layer = Self.minimal(type)
                layer.removeValue(forKey: key.key)
                #expect(Self.error([layer])?.field == "model.layers[0].\(key.key)")
            }
            #expect(Self.error([Self.minimal(type).merging([key.key: NSNull()]) { $1 }]) == nil || !key.nullable)
        }
        let typo = Self.error([Self.minimal(type).merging(["filterz": 3]) { $1 }])
        #expect(typo?.field == "model.layers[0].filterz")
        #expect(type.fields.allSatisfy { typo?.message.contains($0.key) == true })
    }

    @Test func aLayerWithoutAKnownType_isNamed() {
        #expect(Self.error([["filters": 3]])?.field == "model.layers[0].type")
        #expect(Self.error([["type": "flatten"], ["type": "Conv2d"]])?.field == "model.layers[1].type")
        #expect(Self.error([["type": "flatten"], "conv2d"])?.field == "model.layers[1]")
        #expect(Self.error(["type": "flatten"])?.field == "model.layers")
    }

    @Test func samePadding_needsStrideOne() {
        let error = Self.error([["type": "conv2d", "filters": 4, "kernel": 3, "stride": 2, "padding": "same"]])
        #expect(error?.field == "model.layers[0].padding")
        #expect(Self.error([["type": "conv2d", "filters": 4, "kernel": 4, "padding": "same"]]) == nil)
    }

    @Test func hiddenAndLayersTogether_areRefused_butNullLayersGoWithHidden() throws {
        #expect(Self.error([["type": "dense", "units": 10]], model: ["hidden": [10]])?.field == "model.layers")
        let mlp = try JobConfig(json: ["model": ["hidden": [10], "layers": NSNull()]])
        #expect(mlp.model.layers == nil && mlp.model.hidden == [10])
    }

    @Test func theEncoder_writesLayersWithoutHidden_andTheyReadBack() throws {
        var config = JobConfig()
        config.model.layers = Presets.pytorchExampleLayers
        config.model.activation = .leaky_relu
        let written = config.jsonObject()
        let model = try #require(written["model"] as? [String: Any])
        #expect(model["hidden"] == nil)
        #expect((model["layers"] as? [Any])?.count == Presets.pytorchExampleLayers.count)
        #expect(try JobConfig.parse(config.jsonData()) == config.withResolvedLoss)
        // A default (MLP) config writes null layers beside hidden, which also reads back.
        let mlp = try #require(JobConfig().jsonObject()["model"] as? [String: Any])
        #expect(mlp["layers"] is NSNull && mlp["hidden"] != nil)
    }

    @Test func aLeakyLayer_takesTheModelsSlope() throws {
        let config = try Self.config([["type": "dense", "units": 8, "activation": "leaky_relu"]], model: ["leaky_slope": 0.2])
        #expect(try config.model.networkSpec().plan[0].activation == .leakyRelu(slope: 0.2))
    }

    @Test func shapesThatDoNotFit_nameTheLayerAndBothShapes() throws {
        let config = try Self.config([
            ["type": "conv2d", "filters": 4, "kernel": 5], ["type": "maxpool", "size": 4],
            ["type": "conv2d", "filters": 4, "kernel": 7],
        ])
        do {
            _ = try config.model.networkSpec()
            Issue.record("a 7×7 kernel over 6×6 was accepted")
        } catch let error as ConfigError {
            #expect(error.field == "model.layers[2]")
            #expect(error.message.contains("4×6×6") && error.message.contains("7"), "\(error)")
        }
    }

    @Test func convFanIns_driveTheInitLint() throws {
        // Xavier over four relu conv/dense layers halves the variance four times: the lint says he.
        let layers: [[String: Any]] = [
            ["type": "conv2d", "filters": 4, "kernel": 3], ["type": "conv2d", "filters": 4, "kernel": 3],
            ["type": "conv2d", "filters": 4, "kernel": 3], ["type": "dense", "units": 16],
        ]
        let config = try Self.config(layers, model: ["init": "xavier"])
        #expect(config.hiddenFanIns(inputs: 784) == [9, 36, 36, 4 * 22 * 22])
        #expect(config.warnings().contains { $0.code == "init_activation_mismatch" })
        #expect(try Self.config(layers, model: ["init": "he"]).warnings().isEmpty)
    }

    @Test func aStrideLongerThanItsWindow_isNamedWithWhatItSkips() throws {
        let config = try Self.config([
            ["type": "conv2d", "filters": 4, "kernel": 2, "stride": [1, 3]], ["type": "maxpool", "size": 2],
            ["type": "avgpool", "size": 2, "stride": 3]])
        let found = config.warnings().filter { $0.code == "stride_skips_pixels" }
        #expect(found.count == 2)
        #expect(found.first?.message.contains("model.layers[0]") == true && found.first?.message.contains("1 of every 3") == true)
        #expect(found.last?.message.contains("model.layers[2]") == true, "\(found)")
        #expect(try Self.config([["type": "conv2d", "filters": 4, "kernel": 3, "stride": 3]]).warnings().isEmpty)
    }
}
