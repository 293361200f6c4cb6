// A trained or imported model as `GET /models` and `GET /models/{id}` show it. The weights themselves are
// the engine's export JSON, stored beside this record and read only when needed.
import Foundation

/// Metadata of one stored model.
public struct ModelRecord: Equatable, Sendable {
    public var id: String
    public var name: String
    /// The job that trained it; nil for an imported model.
    public var jobID: String?
    /// The dataset it was trained on (`test_index` predictions read that dataset's test split).
    public var dataset: String
    public var createdAt: Date
    /// Architecture summary from the engine, e.g. `{"layers": [784, 100, 10], "activation": "relu", ...}`.
    public var architecture: JSONValue
    public var metrics: JobMetrics

    public init(id: String, name: String, jobID: String?, dataset: String = "mnist", createdAt: Date = Date(),
                architecture: JSONValue, metrics: JobMetrics = JobMetrics()) {
        self.id = id
        self.name = name
        self.jobID = jobID
        self.dataset = dataset
        self.createdAt = RFC3339.truncated(createdAt)
        self.architecture = architecture
        self.metrics = metrics
    }

    public var json: JSONValue {
        ["id": .string(id), "name": .string(name), "job_id": .optionalString(jobID), "dataset": .string(dataset),
         "created_at": .string(RFC3339.format(createdAt)), "architecture": architecture, "metrics": metrics.json]
    }

    /// Reads a record written by `json`; throws `StoreError.malformedRecord` naming the bad field.
    public init(json: JSONValue) throws {
        self = try StoreError.reading {
            let r = JSONReader(json)
            let m = try r.object("metrics")
            return ModelRecord(id: try r.string("id"), name: try r.string("name"), jobID: try r.optionalString("job_id"),
                               dataset: try r.optionalString("dataset") ?? "mnist",
                               createdAt: try r.date("created_at"), architecture: try r.value("architecture"),
                               metrics: JobMetrics(trainLoss: try m.optionalDouble("train_loss"),
                                                   trainAccuracy: try m.optionalDouble("train_accuracy"),
                                                   testLoss: try m.optionalDouble("test_loss"),
                                                   testAccuracy: try m.optionalDouble("test_accuracy")))
        }
    }
}
