// GET /presets lists every preset with its network; POST /jobs with a preset and an override queues a job whose
// stored config is the preset's under the override.
import Foundation
import Testing
@testable import Engine
@testable import Service

@Test func presets_listEveryPresetWithItsLayersShapesAndParameters() throws {
    let response = try TestService.shared.client.get("/presets")
    #expect(response.status == 200)
    let presets = try #require(response.json["presets"]?.arrayValue)
    #expect(presets.compactMap { $0["name"]?.stringValue } == JobPreset.all.map(\.name))
    let lenet = try #require(presets.first { $0["name"] == "lenet5" })
    #expect(lenet["architecture"]?["parameters"] == 61_706)
    let layers = try #require(lenet["architecture"]?["layers"]?.arrayValue)
    #expect(layers.compactMap { $0["type"]?.stringValue }
            == ["conv2d", "maxpool", "conv2d", "maxpool", "flatten", "dense", "dense", "dense"])
    #expect(layers.map { $0["output_shape"] } == [[6, 28, 28], [6, 14, 14], [16, 10, 10], [16, 5, 5], [400, 1, 1],
                                                   [120, 1, 1], [84, 1, 1], [10, 1, 1]])
    #expect(layers.compactMap { $0["parameters"]?.intValue }.reduce(0, +) == 61_706)
    #expect(layers.map { $0["activation"] } == ["relu", nil, "relu", nil, nil, "relu", "relu", "softmax"].map { $0.map(JSONValue.string) ?? .null })
    #expect(lenet["config"]?["model"]?["layers"]?.arrayValue?.count == 7)
    let mlp = try #require(presets.first)
    #expect(mlp["config"]?["model"]?["hidden"] == [100, 100, 100, 100] && mlp["architecture"]?["parameters"] == 109_810)
}

@Test func postJobs_withAPreset_storesThePresetUnderTheOverrides() throws {
    let server = try TestService()
    let response = try server.client.post("/jobs", json: ["preset": "lenet5", "training": ["iterations": 3]])
    #expect(response.status == 201, "\(response.text)")
    #expect(response.json["config"]?["preset"] == "lenet5")
    #expect(response.json["config"]?["training"]?["iterations"] == 3)
    #expect(response.json["config"]?["training"]?["optimizer"] == "adamw")
    #expect(response.json["config"]?["model"]?["layers"]?.arrayValue?.count == 7)
    #expect(response.json["config"]?["model"]?["hidden"] == nil)
    #expect(response.json["architecture"]?["parameters"] == 61_706)
    #expect(response.json["architecture"]?["layers"]?.arrayValue?.first?["output_shape"] == [6, 28, 28])
    let unknown = try server.client.post("/jobs", json: ["preset": "lenet6"])
    #expect(unknown.status == 400 && unknown.json["error"]?["field"] == "preset")
}
