// /models with a CNN (the PyTorch-built one of EngineTests/Fixtures/model_v2.json): it imports, lists its layers,
// exports the same bytes it imports back from, predicts PyTorch's probabilities, and serves as from_model for
// a config of its layers only; broken v2 exports are 400s naming the layer or field.
import Engine
import Foundation
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
    let shapes: [JSONValue] = [[4, 28, 28], [4, 14, 14], [6, 14, 14], [6, 7, 7], [6, 7, 7], [294], [16], [10]]
    #expect(layers.map { $0["output"] ?? .null } == shapes)
    #expect(layers.map { $0["parameters"]?.intValue ?? -1 } == [104, 0, 150, 0, 0, 0, 4720, 170])
    #expect(layers[6]["activation"] == "leaky_relu" && layers[6]["leaky_slope"] == 0.1 && layers[7]["activation"] == "softmax")
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
