// /models with a CNN (the PyTorch-built one of EngineTests/Fixtures/model_v2.json): it imports, lists its layers,
// exports the same bytes it imports back from, predicts PyTorch's probabilities, and serves as from_model for
// a config of its layers only; a CNN job's own model does all of that too; broken v2 exports are 400s naming
// the layer or field.
import Engine
import Foundation
import IDX
import Testing
@testable import Service

private struct CNNFixture {
    let json: JSONValue

    init() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EngineTests/Fixtures/model_v2.json")
        json = try JSONValue(parsing: Data(contentsOf: url))
    }

    var model: JSONValue { json["model"]! }
    func table(_ key: String) -> [[Double]] { (json[key]?.arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap(\.doubleValue) } }

    /// The same layers as a config's `model.layers`.
    static let layers: [LayerSpec] = [
        .conv2d(Conv2DSpec(filters: 4, kernel: Extent2D(square: 5), padding: .explicit(Extent2D(square: 2)), activation: .relu)),
        .maxPool(PoolSpec(size: Extent2D(square: 2))),
        .conv2d(Conv2DSpec(filters: 6, kernel: Extent2D(3, 2), padding: .same, activation: .tanh)),
        .avgPool(PoolSpec(size: Extent2D(square: 2))),
        .dropout(rate: 0.25),
        .flatten,
        .dense(units: 16, activation: .leakyRelu(slope: 0.1)),
    ]

    /// POSTs `body` to /models on the shared service; the new model's JSON.
    static func importing(_ body: JSONValue) throws -> HTTPResponse {
        try TestService.shared.client.post("/models", json: body)
    }
}

@Test func aCNN_importsListsItsLayersAndExportsTheBytesItImportsBackFrom() throws {
    let fixture = try CNNFixture()
    let client = TestService.shared.client
    let imported = try CNNFixture.importing(fixture.model)
    try #require(imported.status == 201, "\(imported.text)")
    let id = try #require(imported.json["id"]?.stringValue)
    let architecture = try #require(imported.json["architecture"])
    #expect(architecture["input"] == [1, 28, 28] && architecture["parameters"] == 5144 && architecture["output"] == "softmax")
    #expect(architecture["description"]?.stringValue?.hasPrefix("1×28×28 → conv2d 4@5×5 pad 2 relu → maxpool 2 → conv2d 6@3×2 pad same tanh") == true)
    let layers = try #require(architecture["layers"]?.arrayValue)
    #expect(layers.map { $0["type"]?.stringValue ?? "" } == ["conv2d", "maxpool", "conv2d", "avgpool", "dropout", "flatten", "dense", "dense"])
    let shapes: [JSONValue] = [[4, 28, 28], [4, 14, 14], [6, 14, 14], [6, 7, 7], [6, 7, 7], [294, 1, 1], [16, 1, 1], [10, 1, 1]]
    #expect(layers.map { $0["output_shape"] ?? .null } == shapes)
    let activations: [JSONValue] = ["relu", .null, "tanh", .null, .null, .null, "leaky_relu", "softmax"]
    #expect(layers.map { $0["activation"] ?? "missing" } == activations)
    #expect(layers.map { $0["parameters"]?.intValue ?? -1 } == [104, 0, 150, 0, 0, 0, 4720, 170])
    #expect(layers[6]["leaky_slope"] == 0.1)
    #expect(try client.get("/models").json["models"]?.arrayValue?.contains { $0["id"]?.stringValue == id } == true)
    #expect(try client.get("/models/\(id)").json["architecture"] == architecture)

    // The export is v2; importing it gives a model whose export is the same bytes.
    let export = try client.get("/models/\(id)/export")
    #expect(export.status == 200 && export.json["format"] == "mnistd-net-v2" && export.json["input"] == [1, 28, 28])
    let again = try client.send("POST", "/models", body: export.body, headers: ["Content-Type": "application/json"])
    let againID = try #require(again.json["id"]?.stringValue)
    #expect(again.json["architecture"] == architecture)
    #expect(try client.get("/models/\(againID)/export").body == export.body)
}

@Test func aCNN_predictsPyTorchsProbabilities() throws {
    let fixture = try CNNFixture()
    let id = try #require(try CNNFixture.importing(fixture.model).json["id"]?.stringValue)
    let pixels = fixture.table("pixels").map { JSONValue.array($0.map { .int(Int($0)) }) }
    let response = try TestService.shared.client.post("/models/\(id)/predict", json: ["images": .array(pixels)])
    try #require(response.status == 200, "\(response.text)")
    let ours = (response.json["predictions"]?.arrayValue ?? []).map { ($0["probabilities"]?.arrayValue ?? []).compactMap(\.doubleValue) }
    // Within the float32 bound the fixture derives per probability (EngineTests' ModelPyTorchTests explains it).
    let reference = fixture.table("probabilities"), bounds = fixture.table("bounds")
    #expect(ours.count == 4 && ours.allSatisfy { $0.count == 10 })
    for (i, row) in ours.enumerated() {
        for (j, p) in row.enumerated() {
            #expect(abs(p - reference[i][j]) <= bounds[i][j], "image \(i) class \(j): \(p), PyTorch \(reference[i][j])")
        }
    }
    // A test image by index, through the same model: a prediction, whatever it is.
    let byIndex = try TestService.shared.client.post("/models/\(id)/predict", json: ["test_index": 3])
    #expect(byIndex.status == 200 && byIndex.json["predictions"]?.arrayValue?.count == 1)
}

@Test func aCNN_isTheFromModelOfAConfigOfItsLayersOnly() throws {
    let fixture = try CNNFixture()
    let id = try #require(try CNNFixture.importing(fixture.model).json["id"]?.stringValue)
    let service = TestService.shared.service
    // The JSON path to model.layers is the config parser's; the check itself runs on the typed config.
    var config = JobConfig()
    config.model.fromModel = id
    config.model.layers = CNNFixture.layers
    // A config's leaky_relu layers take model.leaky_slope (they have no slope of their own).
    config.model.leakySlope = 0.1
    try service.validate(config)

    config.model.layers![2] = .conv2d(Conv2DSpec(filters: 5, kernel: Extent2D(3, 2), padding: .same, activation: .tanh))
    do {
        try service.validate(config)
        Issue.record("a 6-filter model accepted for a 5-filter config")
    } catch let error as APIError {
        #expect(error.status == 400 && error.field == "model.from_model")
        #expect(error.message.contains("is 1×28×28 → conv2d 4@5×5 pad 2 relu → maxpool 2 → conv2d 6@3×2 pad same tanh"), "\(error.message)")
        #expect(error.message.contains("the config asks for 1×28×28 → conv2d 4@5×5 pad 2 relu → maxpool 2 → conv2d 5@3×2"), "\(error.message)")
    }
    // The default MLP against the CNN: both named, the MLP by its widths.
    config.model.layers = nil
    #expect(throws: APIError.self) { try service.validate(config) }
    do { try service.validate(config) } catch let error as APIError {
        #expect(error.message.contains("but the config asks for 784-100-100-100-100-10 relu/softmax"), "\(error.message)")
    }
}

@Test func import_refusesABrokenV2ExportNamingTheLayerOrField() throws {
    let fixture = try CNNFixture()
    func changed(_ change: (inout [String: JSONValue], inout [JSONValue]) -> Void) -> JSONValue {
        var object = fixture.model.objectValue!, layers = object["layers"]!.arrayValue!
        change(&object, &layers)
        object["layers"] = .array(layers)
        return .object(object)
    }
    let noFlatten = try CNNFixture.importing(changed { _, layers in layers.remove(at: 5) })
    #expect(noFlatten.status == 400 && noFlatten.json["error"]?["field"] == "layers[5]" && noFlatten.json["error"]?["code"] == "invalid_model")
    #expect(noFlatten.json["error"]?["message"]?.stringValue?.contains("flatten") == true)
    let unknown = try CNNFixture.importing(changed { _, layers in layers[1] = ["type": "maxpool3d", "size": 2] })
    #expect(unknown.status == 400 && unknown.json["error"]?["field"] == "layers[1]")
    let smaller = try CNNFixture.importing(changed { object, _ in object["input"] = [1, 20, 20] })
    #expect(smaller.status == 400 && smaller.json["error"]?["field"] == "layers[6]")  // 6×5×5 flattened is not 294
    // A dense-only v2 export whose input is 784 pixels in the wrong shape, and one of the wrong size.
    let dense: JSONValue = ["type": "dense", "activation": "softmax", "weights": .array([JSONValue](repeating: .array([JSONValue](repeating: 0.5, count: 784)), count: 10)),
                            "bias": .array([JSONValue](repeating: 0, count: 10))]
    let strip = try CNNFixture.importing(["format": "mnistd-net-v2", "input": [1, 16, 49], "output": "softmax", "layers": [dense]])
    #expect(strip.status == 400 && strip.json["error"]?["field"] == "input")
    let flat = try CNNFixture.importing(["format": "mnistd-net-v2", "input": [784], "output": "softmax", "layers": [dense]])
    #expect(flat.status == 201 && flat.json["architecture"]?["layers"] == [784, 10])
}

@Test func aCNNJob_savesAModelThatExportsPredictsAndTrainsOnAsFromModel() throws {
    let service = TestService.shared
    let layers: JSONValue = [
        ["type": "conv2d", "filters": 4, "kernel": 5, "padding": 2], ["type": "maxpool", "size": 2],
        ["type": "conv2d", "filters": 6, "kernel": 3, "stride": 2, "activation": "tanh"], ["type": "avgpool", "size": 2],
        ["type": "dropout", "rate": 0.2], ["type": "dense", "units": 16]]
    let body: JSONValue = ["model": ["layers": layers], "training": ["iterations": 60, "optimizer": "adam", "learning_rate": 0.005]]
    let job = try service.waitForEnd(try #require(service.submit(body)["id"]?.stringValue))
    try #require(job["state"] == "succeeded", "\(job)")
    let id = try #require(job["model_id"]?.stringValue)

    let record = try service.client.get("/models/\(id)").json
    #expect(record["architecture"]?["description"]?.stringValue == "1×28×28 → conv2d 4@5×5 pad 2 relu → maxpool 2 → "
            + "conv2d 6@3×3 stride 2 tanh → avgpool 2 → dropout 0.2 → flatten → dense 16 relu → dense 10 softmax")
    #expect(record["architecture"]?["parameters"] == .int(104 + 222 + 54 * 16 + 16 + 170))
    let export = try service.client.get("/models/\(id)/export")
    #expect(export.json["format"] == "mnistd-net-v2" && export.json["layers"]?.arrayValue?.count == 8)
    // The served model predicts as the job's final evaluation scored it: its test accuracy from the same weights.
    let engineModel = try Model(jsonData: export.body)
    let images = try MNISTLocation.registry.images("mnist", .unit).test
    let labels = try MNISTLocation.registry.dataset("mnist").test.labels
    let correct = zip(try Predictor(model: engineModel).predict(images: images), labels).filter { $0.label == Int($1) }.count
    #expect(Double(correct) / Double(labels.count) == job["metrics"]?["test_accuracy"]?.doubleValue)
    let first = try service.client.post("/models/\(id)/predict", json: ["test_index": 0]).json["predictions"]?.arrayValue?.first
    #expect(first?["probabilities"]?.arrayValue?.count == 10)

    // from_model: the same layers go on training from it; other layers are a 400 naming both networks.
    let next = try service.waitForEnd(try #require(service.submit(["model": ["layers": layers, "from_model": .string(id)],
                                                                   "training": ["iterations": 5]])["id"]?.stringValue))
    #expect(next["state"] == "succeeded", "\(next)")
    var other = layers.arrayValue!
    other[0] = ["type": "conv2d", "filters": 3, "kernel": 5, "padding": 2]
    let refused = try service.client.post("/jobs", json: ["model": ["layers": .array(other), "from_model": .string(id)]])
    #expect(refused.status == 400 && refused.json["error"]?["field"] == "model.from_model")
    #expect(refused.json["error"]?["message"]?.stringValue?.contains("but the config asks for 1×28×28 → conv2d 3@5×5 pad 2 relu") == true)
}
