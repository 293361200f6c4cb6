// POST /experiments/sweep through a real service: bad paths and values are 400s naming them, a sweep that
// does not fit the queue is a 429 that leaves nothing behind, a grid's runs train and the experiment lists
// them with their params and the best, and successive halving over learning rates 100× apart culls the
// hopeless ones at the first rung, keeps the best, and keeps its decisions across a restart.
import Foundation
import Testing
@testable import Engine
@testable import Service

private let small: JSONValue = ["model": ["hidden": [32]], "training": ["iterations": 60, "batch_size": 32, "eval_every": 30]]

@Test func sweep_refusesBadPathsAndValuesNamingThem() throws {
    let client = TestService.shared.client
    func field(_ body: JSONValue) throws -> (Int, String?) {
        let response = try client.post("/experiments/sweep", json: body)
        return (response.status, response.json["error"]?["field"]?.stringValue)
    }
    #expect(try field(["base": small, "grid": ["training.learnin_rate": [0.1]]]) == (400, "grid.training.learnin_rate"))
    #expect(try field(["base": small, "grid": ["training.learning_rate": [0.1, -1]]]) == (400, "training.learning_rate"))
    #expect(try field(["base": small, "random": ["count": 3, "space": ["model.init": ["choice": ["he", "glorot"]]]]])
            .0 == 400)
    #expect(try field(["base": small, "random": ["count": 0, "space": ["model.init": ["choice": ["he"]]]]]) == (400, "random.count"))
    #expect(try field(["base": small, "random": ["count": 2, "space": ["training.learning_rate": ["log_uniform": [0, 1]]]]])
            == (400, "random.space.training.learning_rate.log_uniform"))
    #expect(try field(["base": small]).0 == 400)
    #expect(try field(["base": small, "grid": ["model.init": ["he"]], "random": ["count": 1, "space": ["model.init": ["choice": ["he"]]]]]).0 == 400)
    #expect(try field(["base": small, "grid": ["training.seed": [1, 2]]]) == (400, "same_batches"))
    #expect(try field(["base": small, "grid": ["model.init": ["he", "xavier"]],
                       "scheduler": ["type": "successive_halving"]]) == (400, "scheduler.metric"))
    #expect(try field(["base": small, "grid": ["model.init": ["he"]], "scheduler": ["type": "asha"]]) == (400, "scheduler.type"))
    #expect(try field(["base": ["training": ["epochz": 1]], "grid": ["model.init": ["he"]]]) == (400, "training.epochz"))
    #expect(try field(["bse": small]) == (400, "bse"))
}

@Test func sweep_thatDoesNotFitTheQueueIs429AndLeavesNothingBehind() throws {
    let server = try TestService { $0.queueCapacity = 3 }
    let response = try server.client.post("/experiments/sweep", json: ["base": small,
                                                                        "grid": ["training.learning_rate": [0.01, 0.02, 0.03, 0.04]]])
    #expect(response.status == 429, "\(response.text)")
    #expect(response.json["error"]?["message"]?.stringValue?.contains("room for 3") == true, "\(response.text)")
    #expect(response.headers["Retry-After"] != nil)
    #expect(try server.client.get("/jobs").json["jobs"]?.arrayValue?.isEmpty == true)
    #expect(try server.client.get("/experiments").json["experiments"]?.arrayValue?.isEmpty == true)
}

@Test func sweep_gridTrainsEveryRunAndTheExperimentListsThemWithTheBest() throws {
    let server = try TestService()
    let created = try server.client.post("/experiments/sweep", json: [
        "name": "lr × init", "base": small,
        "grid": ["training.learning_rate": [0.005, 0.05], "model.init": ["he", "xavier"]],
    ])
    #expect(created.status == 201, "\(created.text)")
    let id = try #require(created.json["id"]?.stringValue)
    let jobIDs = created.json["job_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
    try #require(jobIDs.count == 4)
    let jobs = try jobIDs.map { try server.waitForEnd($0) }
    #expect(jobs.allSatisfy { $0["state"] == "succeeded" && $0["experiment_id"]?.stringValue == id })
    // Run order: model.init first (sorted paths), the learning rate fastest; every run keeps the base seed.
    #expect(jobs.map { $0["config"]!["model"]!["init"]!.stringValue! } == ["he", "he", "xavier", "xavier"])
    #expect(jobs.map { $0["config"]!["training"]!["learning_rate"]!.doubleValue! } == [0.005, 0.05, 0.005, 0.05])
    #expect(Set(jobs.map { $0["config"]!["training"]!["seed"]!.intValue! }) == [0])
    #expect(jobs[1]["name"] == "lr × init · init=he, learning_rate=0.05")

    let experiment = try server.client.get("/experiments/\(id)")
    #expect(experiment.status == 200)
    let body = experiment.json
    #expect(body["state"] == "succeeded" && body["name"] == "lr × init" && body["kind"] == "sweep")
    #expect(body["varied"] == ["model.init", "training.learning_rate"])
    let runs = try #require(body["jobs"]?.arrayValue)
    #expect(runs.compactMap { $0["id"]?.stringValue } == jobIDs)
    #expect(runs[1]["params"] == ["model.init": "he", "training.learning_rate": 0.05])
    // No validation split: the best is by test accuracy, the highest of the four.
    let accuracies = jobs.map { $0["metrics"]!["test_accuracy"]!.doubleValue! }
    let best = try #require(body["best"])
    #expect(best["metric"] == "test_accuracy")
    #expect(best["value"]?.doubleValue == accuracies.max())
    #expect(best["job_id"]?.stringValue == jobIDs[accuracies.firstIndex(of: accuracies.max()!)!])
    let validator = SchemaValidator(document: OpenAPIDocument.document)
    #expect(validator.isValid(body, OpenAPIDocument.ref("Experiment")), "\(body)")
    #expect(validator.isValid(jobs[0], OpenAPIDocument.ref("Job")))
    #expect(try server.client.get("/experiments").json["experiments"]?.arrayValue?.first?["id"]?.stringValue == id)

    // Finished: nothing to cancel; delete removes it with its runs.
    #expect(try server.client.post("/experiments/\(id)/cancel", json: [:]).status == 409)
    #expect(try server.client.send("DELETE", "/experiments/\(id)").status == 204)
    #expect(try server.client.get("/experiments/\(id)").status == 404)
    #expect(try server.client.get("/jobs/\(jobIDs[0])").status == 404)
}

@Test func sweep_withSeparateBatchesGivesEachRunItsOwnSeed() throws {
    let server = try TestService()
    let base: JSONValue = ["model": ["hidden": [16]], "training": ["iterations": 5, "seed": 40]]
    let created = try server.client.post("/experiments/sweep", json: ["base": base, "same_batches": false,
                                                                       "grid": ["model.init": ["he", "xavier", "normal"]]])
    #expect(created.status == 201, "\(created.text)")
    let ids = created.json["job_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
    let seeds = try ids.map { try server.client.get("/jobs/\($0)").json["config"]?["training"]?["seed"]?.intValue }
    #expect(seeds == [40, 41, 42])
    let cancelled = try server.client.post("/experiments/\(created.json["id"]!.stringValue!)/cancel", json: [:])
    #expect(cancelled.status == 200 || cancelled.status == 409)
    for id in ids { try server.waitForEnd(id) }
}

/// Learning rates 100× apart: at 1/3 of training, the slow runs' validation loss is far above the fast
/// ones', so the first rung culls them all; the two that go on are the two lowest there, and the best of
/// the experiment is a fast run.
@Test func successiveHalving_cullsTheHopelessRunsAtTheFirstRungAndKeepsTheBest() throws {
    let state = try TemporaryDirectory()
    var server: TestService? = try TestService(stateDirectory: state)
    let base: JSONValue = ["model": ["hidden": [32]],
                           "training": ["iterations": 150, "batch_size": 32, "eval_every": 50, "validation_split": 0.1]]
    let created = try server!.client.post("/experiments/sweep", json: [
        "base": base, "grid": ["training.learning_rate": [0.0005, 0.05], "model.init": ["he", "xavier", "normal"]],
        "scheduler": ["type": "successive_halving", "metric": "validation_loss", "reduction": 3],
    ])
    #expect(created.status == 201, "\(created.text)")
    let id = try #require(created.json["id"]?.stringValue)
    let ids = created.json["job_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
    try #require(ids.count == 6)
    let jobs = try ids.map { try server!.waitForEnd($0) }
    let lrs = jobs.map { $0["config"]!["training"]!["learning_rate"]!.doubleValue! }
    // One rung (⌊log3 6⌋ − 1 → at least 1), at 150 / 3 = 50 iterations: 6 / 3 = 2 go on.
    let experiment = try server!.client.get("/experiments/\(id)").json
    let rung = try #require(experiment["rungs"]?.arrayValue?.first)
    #expect(rung["decided"] == true && rung["reached"] == 6 && rung["went_on"] == 2)
    let values = ids.map { rung["values"]?[$0]?.doubleValue ?? .nan }
    let survivors = ids.indices.filter { jobs[$0]["state"] == "succeeded" }
    let culled = ids.indices.filter { jobs[$0]["state"] == "cancelled" }
    #expect(survivors.count == 2 && culled.count == 4)
    for index in lrs.indices where lrs[index] == 0.0005 {
        #expect(culled.contains(index), "lr \(lrs[index]) run \(index) went on with validation loss \(values[index])")
        #expect(jobs[index]["successive_halving"]?["status"] == "culled" && jobs[index]["progress"]?["iteration"] == 50)
    }
    // The survivors are the two lowest losses at the rung, and they trained to the end.
    let ranked = ids.indices.sorted { values[$0] < values[$1] }
    #expect(Set(ranked.prefix(2)) == Set(survivors))
    #expect(survivors.allSatisfy { jobs[$0]["progress"]?["iteration"] == 150 && jobs[$0]["successive_halving"]?["status"] == "promoted" })
    let best = try #require(experiment["best"])
    #expect(best["metric"] == "validation_loss")
    let bestIndex = try #require(ids.firstIndex(of: best["job_id"]?.stringValue ?? ""))
    #expect(lrs[bestIndex] == 0.05 && survivors.contains(bestIndex))
    #expect(SchemaValidator(document: OpenAPIDocument.document).isValid(experiment, OpenAPIDocument.ref("Experiment")), "\(experiment)")

    // A restart on the same state dir lists every run, and the culled stay culled.
    server = nil
    server = try TestService(stateDirectory: state)
    let again = try server!.client.get("/experiments/\(id)").json
    #expect(again["jobs"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ids)
    #expect(again["jobs"]?.arrayValue?.map { $0["state"]?.stringValue ?? "" } == jobs.map { $0["state"]?.stringValue ?? "" })
    #expect(again["best"]?["job_id"] == best["job_id"])
}

/// A kill between writing a rung's decision and ending the culled runs: at the next start the decision is
/// carried out, so the culled run ends cancelled instead of training on.
@Test func successiveHalving_carriesOutAWrittenDecisionAfterARestart() throws {
    let state = try TemporaryDirectory()
    var server: TestService? = try TestService(stateDirectory: state)
    let base: JSONValue = ["model": ["hidden": [16]], "training": ["iterations": 90, "eval_every": 30, "validation_split": 0.1]]
    let created = try server!.client.post("/experiments/sweep", json: [
        "base": base, "grid": ["training.learning_rate": [0.0005, 0.05]],
        "scheduler": ["type": "successive_halving", "reduction": 2, "rungs": 1],
    ])
    #expect(created.status == 201, "\(created.text)")
    let id = try #require(created.json["id"]?.stringValue)
    let ids = created.json["job_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
    for job in ids { try server!.waitForEnd(job) }
    let service = server!.service
    let culled = try #require(service.experiments.experiment(id)?.culled.keys.first)
    // Undo the ending as a kill would have left it: the decision written, the culled run still queued at its rung.
    try service.store.update(culled) { job in
        job.state = .queued
        job.finishedAt = nil
        job.halving?.status = .waiting
    }
    server = nil
    server = try TestService(stateDirectory: state)
    let job = try server!.waitForEnd(culled, timeout: 30)
    #expect(job["state"] == "cancelled" && job["successive_halving"]?["status"] == "culled" && job["progress"]?["iteration"] == 45)
}
