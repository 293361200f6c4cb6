// /models: a trained model lists with its architecture and metrics, exports in mnistd-net-v2, imports back as
// a new model that predicts identically, a v1 export still imports, and a broken import is a 400 naming the
// field or layer.
import Foundation
import Testing
@testable import Service

@Test func models_showTheTrainedModelWithArchitectureAndMetrics() throws {
    let job = TestService.defaultJob
    let id = try #require(job["model_id"]?.stringValue)
    let client = TestService.shared.client
    let listed = try #require(client.get("/models").json["models"]?.arrayValue)
    #expect(listed.contains { $0["id"]?.stringValue == id })
    let model = try client.get("/models/\(id)").json
    #expect(model["architecture"]?["layers"] == [784, 100, 100, 100, 100, 10])
    #expect(model["architecture"]?["activation"] == "relu" && model["architecture"]?["output"] == "softmax")
    #expect(model["architecture"]?["parameters"] == .int(784 * 100 + 100 + 3 * (100 * 100 + 100) + 100 * 10 + 10))
    #expect(model["metrics"]?["test_accuracy"] == job["metrics"]?["test_accuracy"])
    #expect(model["job_id"] == job["id"] && model["dataset"] == "mnist")
    #expect(try client.get("/models/model_nope").status == 404)
}

@Test func export_thenImport_givesAModelThatPredictsTheSame() throws {
    let id = try #require(TestService.defaultJob["model_id"]?.stringValue)
    let client = TestService.shared.client
    let export = try client.get("/models/\(id)/export")
    #expect(export.status == 200 && export.json["format"] == "mnistd-net-v2" && export.json["input"] == [784])
    #expect(export.json["layers"]?.arrayValue?.count == 5 && export.json["normalize"] == "unit")
    #expect(export.json["layers"]?.arrayValue?.allSatisfy { $0["type"] == "dense" } == true)
    // Import it into a fresh service: a new id, the same architecture, the same probabilities.
    let other = try TestService()
    let imported = try other.client.send("POST", "/models", body: export.body, headers: ["Content-Type": "application/json"])
    #expect(imported.status == 201)
    let newID = try #require(imported.json["id"]?.stringValue)
    #expect(imported.headers["location"] == "/models/\(newID)")
    #expect(imported.json["architecture"]?["layers"] == [784, 100, 100, 100, 100, 10] && imported.json["job_id"] == .null)
    for index in [0, 1, 2] {
        let original = try client.post("/models/\(id)/predict", json: ["test_index": .int(index)]).json
        let copy = try other.client.post("/models/\(newID)/predict", json: ["test_index": .int(index)]).json
        #expect(original["predictions"] != nil && original == copy)
    }
}

@Test func import_refusesABrokenExportNamingTheFieldOrLayer() throws {
    let client = TestService.shared.client
    let layer: (Int, Int, String) -> JSONValue = { outputs, inputs, activation in
        ["weights": .array((0..<outputs).map { _ in .array([JSONValue](repeating: 0.5, count: inputs)) }),
         "bias": .array([JSONValue](repeating: 0, count: outputs)), "activation": .string(activation)]
    }
    let good: JSONValue = ["format": "mnistd-mlp-v1", "output": "softmax", "normalize": "unit",
                           "layers": [layer(4, 784, "relu"), layer(10, 4, "softmax")]]
    #expect(try client.post("/models", json: good).status == 201)
    let badShape: JSONValue = ["format": "mnistd-mlp-v1", "output": "softmax", "normalize": "unit",
                               "layers": [layer(4, 784, "relu"), layer(10, 5, "softmax")]]
    let shape = try client.post("/models", json: badShape)
    #expect(shape.status == 400 && shape.json["error"]?["field"] == "layers[1]" && shape.json["error"]?["code"] == "invalid_model")
    let noFormat = try client.post("/models", json: ["output": "softmax", "normalize": "unit", "layers": [layer(10, 784, "softmax")]])
    #expect(noFormat.status == 400 && noFormat.json["error"]?["field"] == "format")
    let wrongFormat = try client.post("/models", json: ["format": "mnistd-mlp-v2", "output": "softmax", "normalize": "unit",
                                                        "layers": [layer(10, 784, "softmax")]])
    #expect(wrongFormat.status == 400 && wrongFormat.json["error"]?["field"] == "format")
    let wrongInputs = try client.post("/models", json: ["format": "mnistd-mlp-v1", "output": "softmax", "normalize": "unit",
                                                        "layers": [layer(10, 5, "softmax")]])
    #expect(wrongInputs.status == 400 && wrongInputs.json["error"]?["field"] == "layers[0]")
    #expect(try client.post("/models", raw: "[1, 2").status == 400)
}
