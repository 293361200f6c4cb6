// Job: the exact GET /jobs/{id} shape (null where absent), lifecycle stamps, and a lossless JSON round trip.
import Foundation
import Testing
@testable import Service

func sampleJob(id: String = "job_1", createdAt: Date = Date(timeIntervalSince1970: 1_714_566_896.789)) -> Job {
    Job(id: id, name: "my run", config: ["training": ["epochs": 5, "learning_rate": 0.05]], createdAt: createdAt,
        progress: JobProgress(epochs: 5, iterations: 2345))
}

@Test func json_ofAQueuedJobHasEveryAPIFieldWithNullsWhereAbsent() {
    let json = sampleJob().json
    #expect(Set(json.objectValue!.keys) == ["id", "name", "state", "config", "created_at", "started_at", "finished_at",
                                             "progress", "metrics", "warnings", "diagnostics", "model_id", "error",
                                             "resumed_from_iteration", "architecture", "early_stopping",
                                             "stopped_early_at_iteration", "experiment_id", "successive_halving"])
    #expect(json["state"] == "queued")
    #expect(json["created_at"] == "2024-05-01T12:34:56.789Z")
    #expect(json["started_at"] == .null && json["finished_at"] == .null && json["model_id"] == .null && json["error"] == .null)
    #expect(json["progress"] == ["epoch": 0, "epochs": 5, "iteration": 0, "iterations": 2345, "fraction": 0.0,
                                 "samples_per_second": nil, "eta_seconds": nil])
    #expect(json["metrics"] == ["train_loss": nil, "train_accuracy": nil, "test_loss": nil, "test_accuracy": nil,
                                "validation_loss": nil, "validation_accuracy": nil, "learning_rate": nil])
    #expect(json["early_stopping"] == .null && json["stopped_early_at_iteration"] == .null)
    #expect(json["diagnostics"] == ["layers": []])
    #expect(json["config"]?["training"]?["epochs"] == 5)
}

@Test func progress_derivesFractionAndETA() {
    var progress = JobProgress(epochs: 5, iterations: 2000)
    progress.advance(iteration: 500, epoch: 2, samplesPerSecond: 40_000, batchSize: 128)
    #expect(progress.fraction == 0.25)
    #expect(progress.etaSeconds == 1500.0 * 128 / 40_000)
    #expect(JobProgress().fraction == 0)
}

@Test func json_ofAFailedJobCarriesTheErrorAndTimes() throws {
    var job = sampleJob()
    job.start(at: Date(timeIntervalSince1970: 1_714_566_900))
    job.finish(.failed, at: Date(timeIntervalSince1970: 1_714_566_960.5),
               failure: JobFailure(code: "diverged", message: "loss became NaN", iteration: 1234, layer: 2,
                                   hint: "lower training.learning_rate"))
    let json = job.json
    #expect(json["state"] == "failed")
    #expect(json["started_at"] == "2024-05-01T12:35:00.000Z")
    #expect(json["finished_at"] == "2024-05-01T12:36:00.500Z")
    #expect(json["error"] == ["code": "diverged", "message": "loss became NaN", "iteration": 1234, "layer": 2,
                              "hint": "lower training.learning_rate", "docs": "docs/diagnostics.md#diverged"])
    #expect(try Job(json: json).error == job.error)
}

@Test func json_roundTripsEveryField() throws {
    var job = sampleJob()
    job.start(at: Date(timeIntervalSince1970: 1_714_566_900.25))
    job.progress.advance(iteration: 400, epoch: 1, samplesPerSecond: 41_000, batchSize: 128)
    job.metrics = JobMetrics(trainLoss: 0.31, trainAccuracy: 0.91, testLoss: 0.29, testAccuracy: 0.92)
    job.warnings = [JobWarning(code: "he_with_sigmoid", message: "He init is meant for ReLU")]
    job.diagnostics.layers = [LayerDiagnostics(index: 0, units: 100, activationMean: 0.4, activationStd: 0.7, deadFraction: 0.05,
                                               weightNorm: 12.5, gradNorm: 0.03, updateRatioWeights: 1e-3, updateRatioBiases: 2e-3,
                                               histogramEdges: [0, 0.5, 1], histogramCounts: [80, 20])]
    job.finish(.succeeded, at: Date(timeIntervalSince1970: 1_714_567_000))
    job.modelID = "model_9"
    let reread = try Job(json: try JSONValue(parsing: job.json.data))
    #expect(reread == job)
    #expect(job.json["diagnostics"]?["layers"]?.arrayValue?.first?["histogram"] == ["edges": [0.0, 0.5, 1.0], "counts": [80, 20]])
}

@Test func init_namesTheFieldOfAMalformedRecord() {
    var json = sampleJob().json.objectValue!
    json["state"] = "paused"
    #expect(throws: StoreError.malformedRecord(field: "state", reason: "is 'paused'")) { try Job(json: .object(json)) }
    json["state"] = "queued"
    json["progress"] = ["epoch": 0]
    #expect(throws: StoreError.malformedRecord(field: "progress.epochs", reason: "is missing")) { try Job(json: .object(json)) }
}

@Test func json_ofAJobThatStoppedEarly_roundTripsItsWatchAndValidationMetrics() throws {
    guard case .object(var fields) = sampleJob().json else { Issue.record("not an object"); return }
    fields["early_stopping"] = ["metric": "validation_accuracy", "patience": 3, "best_iteration": 400, "best_value": 0.985,
                                "waited": 3, "stopped_at_iteration": 1000, "kept_iteration": 400]
    fields["metrics"] = ["train_loss": 0.1, "train_accuracy": 0.97, "test_loss": 0.05, "test_accuracy": 0.983,
                         "validation_loss": 0.06, "validation_accuracy": 0.985, "learning_rate": 0.0125]
    let job = try Job(json: .object(fields))
    #expect(job.earlyStopping?.keptIteration == 400 && job.metrics.validationAccuracy == 0.985 && job.metrics.learningRate == 0.0125)
    #expect(job.json["stopped_early_at_iteration"] == 1000)
    #expect(try Job(json: job.json) == job)
    fields["early_stopping"] = ["metric": "validation_accuracy"]
    #expect(throws: StoreError.self) { try Job(json: .object(fields)) }
}
