// A job with a validation split, early stopping, a schedule and augmentation through POST /jobs: the job and
// its history carry validation metrics and learning rates, it stops where early stopping says, and it ends
// on the best evaluation's weights, whose test metrics are the job's final ones.
import Foundation
import Testing
@testable import Engine
@testable import Service

@Test func aJobWithEarlyStopping_stopsAndEndsOnItsBestWeights() throws {
    let server = try TestService()
    let response = try server.client.post("/jobs", json: [
        "model": ["hidden": [32]],
        "training": ["iterations": 2000, "eval_every": 40, "batch_size": 64, "seed": 2, "validation_split": 0.1,
                     "early_stopping": ["patience": 2, "min_delta": 1e9], "optimizer": "adamw", "learning_rate": 0.003,
                     "weight_decay": 0.01, "lr_schedule": ["type": "cosine", "min_lr": 0.0003, "warmup_iterations": 20],
                     "augment": ["shift": 1, "rotate": 5]],
    ])
    #expect(response.status == 201, "\(response.text)")
    let job = try server.waitForEnd(try #require(response.json["id"]?.stringValue))
    #expect(job["state"] == "succeeded")
    // The first evaluation is the best (nothing beats it by 1e9); two more without a gain stop the run.
    #expect(job["stopped_early_at_iteration"]?.intValue == 120)
    let watch = try #require(job["early_stopping"])
    #expect(watch["best_iteration"]?.intValue == 40 && watch["kept_iteration"]?.intValue == 40 && watch["waited"]?.intValue == 2)
    let history = try server.client.get("/jobs/\(job["id"]!.stringValue!)/history").json["points"]?.arrayValue ?? []
    #expect(history.count == 120)
    let evaluated = history.filter { $0["validation_loss"] != nil }
    #expect(evaluated.compactMap { $0["iteration"]?.intValue } == [40, 80, 120])
    #expect(evaluated.allSatisfy { $0["test_loss"] != nil && $0["validation_accuracy"] != nil })
    #expect(watch["best_value"]?.doubleValue.map(Float.init) == evaluated[0]["validation_loss"]?.doubleValue.map(Float.init))
    // The final metrics are the kept weights': those evaluated at iteration 40 (the history holds them as Float).
    let metrics = try #require(job["metrics"])
    #expect(metrics["test_accuracy"]?.doubleValue.map(Float.init) == evaluated[0]["test_accuracy"]?.doubleValue.map(Float.init))
    #expect(metrics["validation_loss"]?.doubleValue.map(Float.init) == evaluated[0]["validation_loss"]?.doubleValue.map(Float.init))
    // Every training point has its learning rate: the warmup's ramp, then the cosine over the configured 2000.
    var config = JobConfig()
    config.training.learningRate = 0.003
    config.training.lrSchedule = LearningRateSchedule(.cosine(minimum: 0.0003), warmupIterations: 20)
    for point in history {
        let iteration = try #require(point["iteration"]?.intValue)
        let expected = config.training.learningRate(update: iteration - 1, epoch: 0, total: 2000)
        #expect(point["learning_rate"]?.doubleValue == expected, "iteration \(iteration)")
    }
    #expect(history[0]["learning_rate"]?.doubleValue == 0.003 / 20)
    // Its model predicts with the kept weights: the model's stored accuracy is the job's.
    let modelID = try #require(job["model_id"]?.stringValue)
    #expect(try server.client.get("/models/\(modelID)").status == 200)
}

@Test func theTrainingRuleFields_refuseBadValuesNamingTheKey() throws {
    let client = TestService.shared.client
    let cases: [(JSONValue, String)] = [
        (["training": ["early_stopping": ["patience": 2]]], "training.early_stopping"),
        (["training": ["validation_split": 0.6]], "training.validation_split"),
        (["training": ["early_stopping": ["metric": "test_loss"], "validation_split": 0.1]], "training.early_stopping.metric"),
        (["training": ["early_stopping": ["patience": 2, "wait": 1], "validation_split": 0.1]], "training.early_stopping.wait"),
        (["training": ["lr_schedule": ["type": "cosine", "gamma": 0.5]]], "training.lr_schedule.gamma"),
        (["training": ["lr_schedule": ["type": "one_cycle"]]], "training.lr_schedule.max_lr"),
        (["training": ["lr_schedule": ["min_lr": 0]]], "training.lr_schedule.type"),
        (["training": ["lr_schedule": "cosine"]], "training.lr_schedule"),
        (["training": ["augment": ["rotate": 200]]], "training.augment.rotate"),
        (["training": ["adam_betas": [0.9]]], "training.adam_betas"),
        (["training": ["adam_epsilon": 0]], "training.adam_epsilon"),
        (["training": ["optimizer": "rmsprop"]], "training.optimizer"),
    ]
    for (body, field) in cases {
        let response = try client.post("/jobs", json: body)
        #expect(response.status == 400 && response.json["error"]?["field"]?.stringValue == field, "\(body): \(response.text)")
    }
}
