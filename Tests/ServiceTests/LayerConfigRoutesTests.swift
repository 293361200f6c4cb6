// `model.layers` through the service: shapes that do not fit, both hidden and layers, a conv stack over the
// memory limit are 400s naming the field; POST /gradcheck checks a conv stack against central differences
// and bounds its work.
import Foundation
import Testing
@testable import Engine
@testable import Service

@Test func postJobs_refusesLayersThatDoNotFitNamingTheLayer() throws {
    let client = TestService.shared.client
    let both = try client.post("/jobs", json: ["model": ["hidden": [10], "layers": [["type": "dense", "units": 10]]]])
    #expect(both.status == 400 && both.json["error"]?["field"] == "model.layers", "\(both.text)")
    let shapes = try client.post("/jobs", json: ["model": ["layers": [
        ["type": "conv2d", "filters": 4, "kernel": 5], ["type": "maxpool", "size": 4],
        ["type": "conv2d", "filters": 4, "kernel": 7]]]])
    #expect(shapes.status == 400 && shapes.json["error"]?["field"] == "model.layers[2]", "\(shapes.text)")
    #expect(shapes.json["error"]?["message"]?.stringValue?.contains("4×6×6") == true)
    let key = try client.post("/jobs", json: ["model": ["layers": [["type": "conv2d", "filters": 4, "kernel": 0]]]])
    #expect(key.status == 400 && key.json["error"]?["field"] == "model.layers[0].kernel")
    // 1024 filters at every one of 28 × 28 positions, for 60,000 samples a step: far over the limit.
    let huge = try client.post("/jobs", json: ["model": ["layers": [["type": "conv2d", "filters": 1024, "kernel": 3, "padding": 1]]],
                                                "training": ["batch_size": 60000]])
    #expect(huge.status == 400 && huge.json["error"]?["field"] == "model.layers", "\(huge.text)")
    #expect(huge.json["error"]?["message"]?.stringValue?.contains("conv patches") == true)
}

@Test func gradcheck_ofASmallConvStackAgreesWithBackprop() throws {
    let response = try TestService.shared.client.post("/gradcheck", json: ["model": ["activation": "tanh", "layers": [
        ["type": "conv2d", "filters": 3, "kernel": 3, "stride": 2], ["type": "maxpool", "size": 3, "stride": 2],
        ["type": "conv2d", "filters": 2, "kernel": [2, 3], "padding": "same"], ["type": "avgpool", "size": 2],
        ["type": "dropout", "rate": 0.3], ["type": "dense", "units": 8]]], "samples": 4, "seed": 3])
    #expect(response.status == 200, "\(response.text)")
    let parameters = try #require(response.json["parameters"]?.arrayValue)
    #expect(parameters.compactMap { $0["name"]?.stringValue } == [
        "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "layers.6.weight", "layers.6.bias",
        "layers.7.weight", "layers.7.bias"])
    for parameter in parameters {
        #expect(try #require(parameter["max_relative_error"]?.doubleValue) < 1e-6, "\(parameter)")
        #expect((parameter["checked"]?.intValue ?? 0) > 0)
    }
}

@Test func gradcheck_boundsTheWorkOfAConvStack() throws {
    let lenet: JSONValue = .array([
        ["type": "conv2d", "filters": 6, "kernel": 5, "padding": 2], ["type": "maxpool", "size": 2],
        ["type": "conv2d", "filters": 16, "kernel": 5], ["type": "maxpool", "size": 2],
        ["type": "dense", "units": 120], ["type": "dense", "units": 84]])
    let response = try TestService.shared.client.post("/gradcheck", json: ["model": ["layers": lenet], "samples": 8])
    #expect(response.status == 400 && response.json["error"]?["field"] == "model.layers", "\(response.text)")
    #expect(response.json["error"]?["message"]?.stringValue?.contains("multiply-adds") == true)
}
