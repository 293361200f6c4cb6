// POST /gradcheck agrees with backprop to < 1e-6 on a small ReLU model and refuses oversized ones;
// POST /experiments/init-comparison starts one job per init that differ only in model.init and train on
// identical batches.
import Foundation
import Testing
@testable import Engine
@testable import Service

@Test func gradcheck_ofASmallReluModelAgreesWithBackprop() throws {
    let response = try TestService.shared.client.post("/gradcheck", json: ["model": ["hidden": [16, 12], "activation": "relu"],
                                                                           "samples": 8, "seed": 0])
    #expect(response.status == 200, "\(response.text)")
    let parameters = try #require(response.json["parameters"]?.arrayValue)
    #expect(parameters.compactMap { $0["name"]?.stringValue }.count == 6)
    for parameter in parameters {
        let error = try #require(parameter["max_relative_error"]?.doubleValue)
        #expect(error < 1e-6, "\(parameter)")
        #expect((parameter["checked"]?.intValue ?? 0) > 0)
        #expect(parameter["skipped_kinks"]?.intValue != nil)
    }
}

@Test func gradcheck_refusesModelsBeyondItsCapNamingTheField() throws {
    let client = TestService.shared.client
    let layers = try client.post("/gradcheck", json: ["model": ["hidden": [8, 8, 8, 8, 8]]])
    #expect(layers.status == 400 && layers.json["error"]?["field"] == "model.hidden")
    let units = try client.post("/gradcheck", json: ["model": ["hidden": [8, 129]]])
    #expect(units.status == 400 && units.json["error"]?["field"] == "model.hidden[1]")
    let samples = try client.post("/gradcheck", json: ["samples": 9])
    #expect(samples.status == 400 && samples.json["error"]?["field"] == "samples")
    let typo = try client.post("/gradcheck", json: ["model": ["activaton": "relu"]])
    #expect(typo.status == 400 && typo.json["error"]?["field"] == "model.activaton")
}

/// The caps are all the schema states, so the largest request they allow is answered (in about 0.6 s on a
/// quiet core; not timed here, as the tests share the machine).
@Test func gradcheck_answersTheLargestRequestItsCapsAllow() throws {
    let limits = TrainingService.gradcheckLimits
    let response = try TestService.shared.client.post("/gradcheck", json: [
        "model": ["hidden": .array(Array(repeating: .int(limits.units), count: limits.layers))], "samples": .int(limits.samples)])
    #expect(response.status == 200)
    #expect(response.json["parameters"]?.arrayValue?.count == 2 * (limits.layers + 1))
}

@Test func initComparison_startsOneJobPerInitOnIdenticalBatches() throws {
    let server = try TestService()
    let response = try server.client.post("/experiments/init-comparison", json: [
        // uniform draws its weights differently from the normal inits: the batches must match all the same.
        "inits": ["normal", "xavier", "he", "uniform"], "model": ["hidden": [64, 64], "init_std": 0.01],
        "training": ["iterations": 40, "seed": 7],
    ])
    #expect(response.status == 201, "\(response.text)")
    let ids = response.json["job_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
    try #require(ids.count == 4)
    let jobs = try ids.map { try server.waitForEnd($0) }
    #expect(jobs.allSatisfy { $0["state"] == "succeeded" })
    #expect(jobs.compactMap { $0["config"]?["model"]?["init"]?.stringValue } == ["normal", "xavier", "he", "uniform"])
    // Same config except model.init (and the name).
    func withoutInit(_ job: JSONValue) -> JSONValue {
        guard case .object(var config) = job["config"]!, case .object(var model) = config["model"]! else { return .null }
        model["init"] = nil
        config["model"] = .object(model)
        config["name"] = nil
        return .object(config)
    }
    #expect(Set(jobs.map { withoutInit($0).text }).count == 1)
    // Identical batches: trainers built from the three configs draw the same first minibatch (and the next).
    let images = try MNISTLocation.registry.images("mnist", .unit)
    let dataset = try MNISTLocation.registry.dataset("mnist")
    let orders = try jobs.map { job -> [Int32] in
        let trainer = try Trainer(config: try JobConfig(json: try JSONSerialization.jsonObject(with: job["config"]!.data)),
                                  trainImages: .bytes(dataset.train.pixels, mean: 0, deviation: 1), trainLabels: dataset.train.labels,
                                  testImages: images.test, testLabels: dataset.test.labels)
        try trainer.step()
        return Array(trainer.order.prefix(256))
    }
    #expect(Set(orders).count == 1)
    #expect(orders[0] != Array(0..<256))
    let bad = try server.client.post("/experiments/init-comparison", json: ["inits": ["he", "glorot"]])
    #expect(bad.status == 400 && bad.json["error"]?["field"] == "inits[1]")
    let unknown = try server.client.post("/experiments/init-comparison", json: ["init": ["he"]])
    #expect(unknown.status == 400 && unknown.json["error"]?["field"] == "init")
    #expect(unknown.json["error"]?["message"]?.stringValue?.contains("inits") == true)
    // Every job field is allowed, the preset too (the page sends `"preset": null` with every body).
    let preset = try server.client.post("/experiments/init-comparison", json: [
        "inits": ["he"], "preset": "lenet5", "training": ["iterations": 2, "eval_every": 2]])
    #expect(preset.status == 201, "\(preset.text)")
    let presetJob = try server.waitForEnd(try #require(preset.json["job_ids"]?.arrayValue?.first?.stringValue))
    #expect(presetJob["config"]?["model"]?["layers"]?.arrayValue?.count == JobPreset.named("lenet5")?.config.model.layers?.count)
    let nullPreset = try server.client.post("/experiments/init-comparison", json: ["inits": ["xavier"], "preset": .null,
                                                                                   "training": ["iterations": 1, "eval_every": 1]])
    #expect(nullPreset.status == 201, "\(nullPreset.text)")
    // Starting every job from one stored model would compare nothing: refused before any job exists.
    let modelID = try #require(TestService.defaultJob["model_id"]?.stringValue)
    let fromModel = try TestService.shared.client.post("/experiments/init-comparison", json: [
        "model": ["from_model": .string(modelID)], "training": ["iterations": 1]])
    #expect(fromModel.status == 400 && fromModel.json["error"]?["field"] == "model.from_model")
    #expect(fromModel.json["error"]?["message"]?.stringValue?.contains("from scratch") == true)
}
