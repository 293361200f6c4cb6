// Job records to and from the exact JSON shape of `GET /jobs/{id}` (null where absent), which is
// also the shape persisted in `jobs/<id>/job.json`.
import Foundation

extension Job {
    /// The API representation.
    public var json: JSONValue {
        [
            "id": .string(id),
            "name": .string(name),
            "state": .string(state.rawValue),
            "config": config,
            "created_at": .string(RFC3339.format(createdAt)),
            "started_at": .optionalString(startedAt.map(RFC3339.format)),
            "finished_at": .optionalString(finishedAt.map(RFC3339.format)),
            "progress": progress.json,
            "metrics": metrics.json,
            "warnings": .array(warnings.map(\.json)),
            "diagnostics": ["layers": .array(diagnostics.layers.map(\.json))],
            "model_id": .optionalString(modelID),
            "resumed_from_iteration": resumedFromIteration.map(JSONValue.int) ?? .null,
            "architecture": architecture,
            "early_stopping": earlyStopping?.json ?? .null,
            "stopped_early_at_iteration": earlyStopping?.stoppedAtIteration.map(JSONValue.int) ?? .null,
            "experiment_id": .optionalString(experimentID),
            "successive_halving": halving?.json ?? .null,
            "error": error.map { ["code": .string($0.code), "message": .string($0.message),
                                  "iteration": $0.iteration.map(JSONValue.int) ?? .null,
                                  "layer": $0.layer.map(JSONValue.int) ?? .null,
                                  "hint": $0.hint.map(JSONValue.string) ?? .null,
                                  "docs": .string(DiagnosticsDocs.reference($0.code))] } ?? .null,
        ]
    }

    /// Reads a record written by `json`; throws `StoreError.malformedRecord` naming the bad field.
    public init(json: JSONValue) throws {
        self = try StoreError.reading { try Job(reading: JSONReader(json)) }
    }

    private init(reading r: JSONReader) throws {
        id = try r.string("id")
        name = try r.string("name")
        let stateName = try r.string("state")
        guard let state = JobState(rawValue: stateName) else {
            throw StoreError.malformedRecord(field: "state", reason: "is '\(stateName)'")
        }
        self.state = state
        config = try r.value("config")
        createdAt = try r.date("created_at")
        startedAt = try r.optionalDate("started_at")
        finishedAt = try r.optionalDate("finished_at")
        let p = try r.object("progress")
        progress = JobProgress(epoch: try p.int("epoch"), epochs: try p.int("epochs"),
                               iteration: try p.int("iteration"), iterations: try p.int("iterations"),
                               samplesPerSecond: try p.optionalDouble("samples_per_second"),
                               etaSeconds: try p.optionalDouble("eta_seconds"))
        let m = try r.object("metrics")
        metrics = JobMetrics(trainLoss: try m.optionalDouble("train_loss"),
                             trainAccuracy: try m.optionalDouble("train_accuracy"),
                             testLoss: try m.optionalDouble("test_loss"),
                             testAccuracy: try m.optionalDouble("test_accuracy"),
                             validationLoss: try m.optionalDouble("validation_loss"),
                             validationAccuracy: try m.optionalDouble("validation_accuracy"),
                             learningRate: try m.optionalDouble("learning_rate"))
        warnings = try r.array("warnings").map {
            JobWarning(code: try $0.string("code"), message: try $0.string("message"),
                       layer: try $0.optionalInt("layer"), iteration: try $0.optionalInt("iteration"))
        }
        diagnostics = JobDiagnostics(layers: try r.object("diagnostics").array("layers").map(LayerDiagnostics.init(reader:)))
        modelID = try r.optionalString("model_id")
        resumedFromIteration = try r.optionalInt("resumed_from_iteration")
        architecture = try r.optionalObject("architecture")?.value ?? .null
        earlyStopping = try r.optionalObject("early_stopping").map(JobEarlyStopping.init(reader:))
        // Absent in records written before experiments existed.
        experimentID = try r.optionalString("experiment_id")
        halving = try r.optionalObject("successive_halving").map(JobHalving.init(reader:))
        if let e = try r.optionalObject("error") {
            error = JobFailure(code: try e.string("code"), message: try e.string("message"),
                               iteration: try e.optionalInt("iteration"), layer: try e.optionalInt("layer"),
                               hint: try e.optionalString("hint"))
        } else {
            error = nil
        }
    }
}

extension JobWarning {
    /// `{"code", "message", "docs"}`, plus `layer` and `iteration` for monitor findings.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["code": .string(code), "message": .string(message),
                                           "docs": .string(DiagnosticsDocs.reference(code))]
        if let layer { object["layer"] = .int(layer) }
        if let iteration { object["iteration"] = .int(iteration) }
        return .object(object)
    }
}

extension JobProgress {
    public var json: JSONValue {
        ["epoch": .int(epoch), "epochs": .int(epochs), "iteration": .int(iteration), "iterations": .int(iterations),
         "fraction": .double(fraction), "samples_per_second": .number(samplesPerSecond),
         "eta_seconds": .number(etaSeconds)]
    }
}

extension JobMetrics {
    public var json: JSONValue {
        ["train_loss": .number(trainLoss), "train_accuracy": .number(trainAccuracy),
         "test_loss": .number(testLoss), "test_accuracy": .number(testAccuracy),
         "validation_loss": .number(validationLoss), "validation_accuracy": .number(validationAccuracy),
         "learning_rate": .number(learningRate)]
    }
}

extension LayerDiagnostics {
    public var json: JSONValue {
        ["index": .int(index), "units": .int(units),
         "activation_mean": .number(activationMean), "activation_std": .number(activationStd),
         "dead_fraction": .number(deadFraction), "weight_norm": .number(weightNorm), "grad_norm": .number(gradNorm),
         "update_ratio_weights": .number(updateRatioWeights), "update_ratio_biases": .number(updateRatioBiases),
         "histogram": ["edges": .array(histogramEdges.map { .number($0) }),
                       "counts": .array(histogramCounts.map(JSONValue.int))]]
    }

    init(reader r: JSONReader) throws {
        let h = try r.object("histogram")
        // Non-finite statistics render as null; they read back as NaN.
        self.init(index: try r.int("index"), units: try r.int("units"),
                  activationMean: try r.optionalDouble("activation_mean") ?? .nan,
                  activationStd: try r.optionalDouble("activation_std") ?? .nan,
                  deadFraction: try r.optionalDouble("dead_fraction") ?? .nan,
                  weightNorm: try r.optionalDouble("weight_norm") ?? .nan,
                  gradNorm: try r.optionalDouble("grad_norm") ?? .nan,
                  updateRatioWeights: try r.optionalDouble("update_ratio_weights") ?? .nan,
                  updateRatioBiases: try r.optionalDouble("update_ratio_biases") ?? .nan,
                  histogramEdges: try h.array("edges").map { $0.doubleOrNaN },
                  histogramCounts: try h.array("counts").map { try $0.intItem() })
    }
}
