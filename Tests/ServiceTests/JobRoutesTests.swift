// /jobs over real sockets with the real MNIST: the default job trains to ≥ 97%, its history has every
// iteration, bad configs are refused naming the field, the queue bound answers 429, cancel and delete work,
// a learning rate of 1e6 fails as diverged, and the event stream follows a job to its end.
import Foundation
import Testing
@testable import Service

@Test func defaultJob_succeedsWithTestAccuracyOfAtLeast97Percent() throws {
    let job = TestService.defaultJob
    #expect(job["state"] == "succeeded", "\(job["error"] ?? .null)")
    let accuracy = try #require(job["metrics"]?["test_accuracy"]?.doubleValue)
    #expect(accuracy >= 0.97)
    #expect(job["config"]?["training"]?["epochs"] == 10 && job["config"]?["model"]?["hidden"] == [100, 100, 100, 100])
    #expect(job["progress"]?["iteration"] == 4690 && job["progress"]?["iterations"] == 4690)
    #expect(job["progress"]?["epoch"] == 10 && job["progress"]?["fraction"] == 1)
    #expect((job["progress"]?["samples_per_second"]?.doubleValue ?? 0) > 1000)
    #expect(job["model_id"]?.stringValue?.hasPrefix("model_") == true)
    #expect(job["started_at"]?.stringValue != nil && job["finished_at"]?.stringValue != nil)
    // Diagnostics of every layer (4 hidden + output), as the API names them.
    let layers = try #require(job["diagnostics"]?["layers"]?.arrayValue)
    #expect(layers.count == 5)
    #expect(layers.first?["units"] == 100 && layers.last?["units"] == 10)
    let histogram = try #require(layers.first?["histogram"])
    #expect(histogram["edges"]?.arrayValue?.count == (histogram["counts"]?.arrayValue?.count ?? 0) + 1)
    #expect((layers.first?["weight_norm"]?.doubleValue ?? 0) > 0 && layers.first?["dead_fraction"]?.doubleValue != nil)
}

@Test func history_hasOnePointPerIterationAndTestValuesAtEachEpochEnd() throws {
    let job = TestService.defaultJob
    let id = try #require(job["id"]?.stringValue)
    let points = try #require(TestService.shared.client.get("/jobs/\(id)/history").json["points"]?.arrayValue)
    #expect(points.map { $0["iteration"]?.intValue ?? -1 } == Array(1...4690))
    let evaluated = points.filter { $0["test_accuracy"] != nil }.map { $0["iteration"]?.intValue ?? -1 }
    #expect(evaluated == (1...10).map { $0 * 469 })
    // History values are float32; the job's metrics are the same numbers in double.
    #expect(points.last?["test_accuracy"]?.doubleValue.map(Float.init) == job["metrics"]?["test_accuracy"]?.doubleValue.map(Float.init))
    let tail = try #require(TestService.shared.client.get("/jobs/\(id)/history?since=4680").json["points"]?.arrayValue)
    #expect(tail.map { $0["iteration"]?.intValue ?? -1 } == Array(4681...4690))
    #expect(try TestService.shared.client.get("/jobs/\(id)/history?since=x").status == 400)
    let from = try #require(TestService.shared.client.get("/jobs/\(id)/history?from=4690").json["points"]?.arrayValue)
    #expect(from.map { $0["iteration"]?.intValue ?? -1 } == [4690])
    #expect(from.first?["test_accuracy"]?.doubleValue == points.last?["test_accuracy"]?.doubleValue)
    let both = try TestService.shared.client.get("/jobs/\(id)/history?from=4690&since=4688").json["points"]?.arrayValue
    #expect(both?.map { $0["iteration"]?.intValue ?? -1 } == [4690])
    #expect(try TestService.shared.client.get("/jobs/\(id)/history?from=-1").status == 400)
}

@Test func postJobs_answers201WithLocationAndTheFullConfig() throws {
    let server = try TestService()
    let response = try server.client.post("/jobs", json: ["name": "tiny", "model": ["hidden": [8], "init": "he", "activation": "sigmoid"],
                                                          "training": ["iterations": 20]])
    #expect(response.status == 201)
    let id = try #require(response.json["id"]?.stringValue)
    #expect(response.headers["location"] == "/jobs/\(id)")
    #expect(response.json["config"]?["training"]?["batch_size"] == 128 && response.json["config"]?["model"]?["loss"] == "cross_entropy")
    #expect(response.json["progress"]?["iterations"] == 20)
    // He init with sigmoid is accepted, with the lint's warning.
    #expect(response.json["warnings"]?.arrayValue?.map { $0["code"] } == ["init_activation_mismatch"])
    #expect(response.json["name"] == "tiny")
    #expect(try server.waitForEnd(id)["state"] == "succeeded")
    // A job without a name is called after its network and optimizer, not "".
    let unnamed = try server.client.post("/jobs", json: ["model": ["hidden": [8, 4]], "training": ["iterations": 5, "optimizer": "sgd",
                                                                                                   "learning_rate": 0.1]])
    #expect(unnamed.json["name"] == "relu 8-4, sgd lr 0.1")
    _ = try server.waitForEnd(try #require(unnamed.json["id"]?.stringValue))
}

@Test func postJobs_rejectsAMisspelledFieldNamingIt() throws {
    let response = try TestService.shared.client.post("/jobs", json: ["training": ["learnin_rate": 0.1]])
    #expect(response.status == 400)
    #expect(response.json["error"]?["code"] == "invalid_config")
    #expect(response.json["error"]?["field"] == "training.learnin_rate")
    let range = try TestService.shared.client.post("/jobs", json: ["training": ["epochs": 0]])
    #expect(range.status == 400 && range.json["error"]?["field"] == "training.epochs")
    let notJSON = try TestService.shared.client.post("/jobs", raw: "{\"training\": ")
    #expect(notJSON.status == 400 && notJSON.json["error"]?["code"] == "invalid_json")
}

@Test func jsonRoutes_answer415ForABodyThatIsNotJSONByItsContentType() throws {
    let client = TestService.shared.client
    // A config that would be valid: only the content type is wrong, so the answer must say that.
    let config = Data(#"{"model": {"hidden": [8]}, "training": {"iterations": 5}}"#.utf8)
    for path in ["/jobs", "/models", "/gradcheck", "/experiments/init-comparison"] {
        for type in ["application/xml", "image/png", "multipart/form-data; boundary=x"] {
            let response = try client.send("POST", path, body: config, headers: ["Content-Type": type])
            #expect(response.status == 415 && response.json["error"]?["code"] == "unsupported_media_type", "\(path) \(type)")
        }
    }
    // What clients send for a JSON string without saying so still works: curl -d, and fetch's text/plain.
    for type in ["application/x-www-form-urlencoded", "text/plain;charset=UTF-8", "application/json; charset=utf-8"] {
        let response = try client.send("POST", "/jobs", body: config, headers: ["Content-Type": type])
        #expect(response.status == 201, "\(type)")
        if let id = response.json["id"]?.stringValue { _ = try client.send("POST", "/jobs/\(id)/cancel") }
    }
}

@Test func postJobs_rejectsAMissingDatasetAndModelNamingTheField() throws {
    let client = TestService.shared.client
    // Well-formed names of things that do not exist: 404, as the same names in a path.
    let dataset = try client.post("/jobs", json: ["dataset": "no-such-set"])
    #expect(dataset.status == 404 && dataset.json["error"]?["field"] == "dataset")
    let model = try client.post("/jobs", json: ["model": ["from_model": "model_missing"]])
    #expect(model.status == 404 && model.json["error"]?["field"] == "model.from_model")
    let modelID = try #require(TestService.defaultJob["model_id"]?.stringValue)
    let mismatch = try client.post("/jobs", json: ["model": ["from_model": .string(modelID), "hidden": [50]]])
    #expect(mismatch.status == 400 && mismatch.json["error"]?["field"] == "model.from_model")
    #expect(mismatch.json["error"]?["message"]?.stringValue?.contains("784-100-100-100-100-10") == true)
    let huge = try client.post("/jobs", json: ["model": ["hidden": [4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096]]])
    #expect(huge.status == 400 && huge.json["error"]?["field"] == "model.hidden")
}

@Test func postJobs_fromAStoredModelStartsFromItsWeights() throws {
    let modelID = try #require(TestService.defaultJob["model_id"]?.stringValue)
    let server = try TestService(stateDirectory: nil)
    // Another service has no such model; the shared one has: fine-tune there for a few iterations.
    #expect(try server.client.post("/jobs", json: ["model": ["from_model": .string(modelID)]]).status == 404)
    let job = try TestService.shared.submit(["model": ["from_model": .string(modelID)], "training": ["iterations": 30, "learning_rate": 0.001]])
    let done = try TestService.shared.waitForEnd(job["id"]!.stringValue!)
    #expect(done["state"] == "succeeded")
    // Already trained: the first minibatches are classified far better than chance.
    let first = try TestService.shared.client.get("/jobs/\(job["id"]!.stringValue!)/history").json["points"]?.arrayValue?.first
    #expect((first?["train_accuracy"]?.doubleValue ?? 0) > 0.9)
    #expect(done["warnings"]?.arrayValue?.isEmpty == true)
    // The default job trained on x/255: continuing it on standardized inputs is accepted with a warning naming the fix.
    let standardized = try TestService.shared.client.post("/jobs", json: ["model": ["from_model": .string(modelID)],
        "training": ["iterations": 1, "normalize": "standardize"]])
    #expect(standardized.status == 201)
    let warning = standardized.json["warnings"]?.arrayValue?.first
    #expect(warning?["code"] == "from_model_normalize_mismatch")
    #expect(warning?["message"]?.stringValue?.contains(#"set training.normalize to "unit""#) == true)
    if let id = standardized.json["id"]?.stringValue { _ = try TestService.shared.client.send("POST", "/jobs/\(id)/cancel") }
}

@Test func postJobs_answers429WithRetryAfterWhenTheQueueIsFull() throws {
    let server = try TestService { $0.queueCapacity = 1 }
    let long: JSONValue = ["model": ["hidden": [16]], "training": ["iterations": 10_000_000]]
    let running = try server.submit(long)["id"]!.stringValue!
    try server.waitFor(running) { $0["state"] == "running" }
    let queued = try server.submit(long)["id"]!.stringValue!
    let refused = try server.client.post("/jobs", json: long)
    #expect(refused.status == 429)
    #expect(refused.headers["retry-after"] == "5")
    #expect(refused.json["error"]?["code"] == "queue_full")
    // The refused job left no trace.
    #expect(try server.client.get("/jobs").json["jobs"]?.arrayValue?.count == 2)
    for id in [queued, running] { #expect(try server.client.send("POST", "/jobs/\(id)/cancel").status == 200) }
}

@Test func cancel_endsARunningJobWithinAMinibatchAndAQueuedOneAtOnce() throws {
    let server = try TestService()
    let long: JSONValue = ["model": ["hidden": [32]], "training": ["iterations": 10_000_000]]
    let running = try server.submit(long)["id"]!.stringValue!
    let queued = try server.submit(long)["id"]!.stringValue!
    try server.waitFor(running) { ($0["progress"]?["iteration"]?.intValue ?? 0) > 10 }
    // The queued one first (cancelling the running one would let the worker take it).
    let second = try server.client.send("POST", "/jobs/\(queued)/cancel")
    #expect(second.json["state"] == "cancelled" && second.json["started_at"] == .null)
    #expect(try server.client.send("POST", "/jobs/\(queued)/cancel").status == 409)
    let cancelled = try server.client.send("POST", "/jobs/\(running)/cancel")
    #expect(cancelled.status == 200)
    #expect(cancelled.json["state"] == "cancelled")
    let stoppedAt = cancelled.json["progress"]?["iteration"]?.intValue ?? -1
    usleep(200_000)
    #expect(try server.client.get("/jobs/\(running)").json["progress"]?["iteration"]?.intValue == stoppedAt)
    let points = try server.client.get("/jobs/\(running)/history").json["points"]?.arrayValue ?? []
    #expect(points.count == stoppedAt)
    #expect(try server.client.send("POST", "/jobs/job_nope/cancel").status == 404)
}

@Test func delete_removesAFinishedJobAndRefusesAnActiveOne() throws {
    let server = try TestService()
    let id = try server.submit(["model": ["hidden": [16]], "training": ["iterations": 10_000_000]])["id"]!.stringValue!
    let refused = try server.client.send("DELETE", "/jobs/\(id)")
    #expect(refused.status == 409 && refused.json["error"]?["code"] == "conflict")
    _ = try server.client.send("POST", "/jobs/\(id)/cancel")
    try server.waitForEnd(id)
    #expect(try server.client.send("DELETE", "/jobs/\(id)").status == 204)
    #expect(try server.client.get("/jobs/\(id)").status == 404)
    #expect(try server.client.get("/jobs/\(id)/history").status == 404)
    #expect(try server.client.send("DELETE", "/jobs/\(id)").status == 404)
}

@Test func getJobs_listsNewestFirstWithStateFilterAndCursor() throws {
    let server = try TestService { $0.queueCapacity = 8 }
    let long: JSONValue = ["model": ["hidden": [16]], "training": ["iterations": 10_000_000]]
    let ids = try (0..<4).map { _ in try server.submit(long)["id"]!.stringValue! }
    defer { for id in ids { _ = try? server.client.send("POST", "/jobs/\(id)/cancel") } }
    let all = try server.client.get("/jobs").json["jobs"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
    #expect(all == ids.reversed())
    let queued = try server.client.get("/jobs?state=queued").json["jobs"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
    #expect(queued == Array(ids.dropFirst().reversed()) || queued == Array(ids.reversed()))
    let page = try server.client.get("/jobs?limit=3").json
    #expect(page["jobs"]?.arrayValue?.count == 3)
    let cursor = try #require(page["next_cursor"]?.stringValue)
    let rest = try server.client.get("/jobs?limit=3&cursor=\(cursor)").json
    #expect(rest["jobs"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [ids[0]])
    #expect(rest["next_cursor"] == .null)
    #expect(try server.client.get("/jobs?state=done").status == 400)
    #expect(try server.client.get("/jobs?limit=0").status == 400)
}

@Test func aHugeLearningRate_endsFailedAsDivergedNamingTheIteration() throws {
    let job = try TestService.shared.submit(["model": ["hidden": [32, 32]], "training": ["learning_rate": 1e6, "iterations": 500]])
    let done = try TestService.shared.waitForEnd(job["id"]!.stringValue!)
    #expect(done["state"] == "failed")
    #expect(done["error"]?["code"] == "diverged")
    let iteration = try #require(done["error"]?["iteration"]?.intValue)
    #expect(iteration >= 1 && iteration < 500)
    #expect(done["error"]?["message"]?.stringValue?.contains("learning_rate") == true)
    #expect(done["error"]?["hint"]?.stringValue?.contains("learning_rate") == true)
    #expect(done["error"]?["layer"] != nil, "layer is present, null when the loss blew up while finite")
    #expect(done["model_id"] == .null)
    // Never continued on NaN: no history point after the failing iteration, every loss finite.
    let points = try TestService.shared.client.get("/jobs/\(job["id"]!.stringValue!)/history").json["points"]?.arrayValue ?? []
    #expect(points.count == iteration - 1)
    #expect(points.allSatisfy { $0["train_loss"]?.doubleValue != nil })
}

@Test func events_streamProgressUntilTheJobEnds() throws {
    let server = try TestService()
    let id = try server.submit(["model": ["hidden": [16]], "training": ["iterations": 3000]])["id"]!.stringValue!
    let response = try server.client.get("/jobs/\(id)/events")
    #expect(response.status == 200)
    #expect(response.headers["content-type"] == "text/event-stream")
    let events = response.text.components(separatedBy: "\n\n").filter { $0.contains("data: ") }
    #expect(events.count >= 2)
    let jobs = events.compactMap { event in
        event.split(separator: "\n").first { $0.hasPrefix("data: ") }.flatMap { try? JSONValue(parsing: Data($0.dropFirst(6).utf8)) }
    }
    #expect(jobs.count == events.count && events.allSatisfy { $0.contains("event: progress") })
    #expect(jobs.last?["state"] == "succeeded")
    let iterations = jobs.compactMap { $0["progress"]?["iteration"]?.intValue }
    #expect(iterations == iterations.sorted() && iterations.last == 3000)
    #expect(try server.client.get("/jobs/job_nope/events").status == 404)
}
