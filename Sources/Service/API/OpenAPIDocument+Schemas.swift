// The request and response schemas of the OpenAPI document; the job config's come from the engine's field
// descriptions (OpenAPIDocument+Config). A request the schema allows must not be refused as invalid, and
// vice versa.
import Engine
import Foundation

extension OpenAPIDocument {
    static let inits = InitKind.allCases.map(\.rawValue)
    static let activations = HiddenActivation.allCases.map(\.rawValue)
    static let outputs = OutputActivation.allCases.map(\.rawValue)
    static let states = JobState.allCases.map(\.rawValue)
    /// A weight or bias: a number a Float32 holds.
    static let float32 = number(-Double(Float.greatestFiniteMagnitude), Double(Float.greatestFiniteMagnitude))

    /// A warning's or error's section in the repository's docs, e.g. docs/diagnostics.md#dead_relu.
    static let docsReference = string("Where the code is explained: docs/diagnostics.md#<code> in the repository.")

    static let schemas: [String: JSONValue] = configSchemas.merging(modelSchemas) { $1 }.merging([
        "Error": object(["error": object(["code": string("Stable machine-readable code, e.g. invalid_config."),
                                          "message": string("What went wrong, for people."),
                                          "field": string("Dotted path of the offending field, e.g. training.epochs.")],
                                         required: ["code", "message"])], required: ["error"]),
        "JobRequest": object(jobRequestFields, description: "A training job. Every field is optional."),
        "PresetList": object(["presets": array(object([
            "name": string(), "summary": string(), "config": ref("JobRequest"), "architecture": ref("Architecture"),
        ], required: ["name", "summary", "config", "architecture"]))], required: ["presets"]),
        "InitComparisonRequest": object(jobRequestFields.merging([
            "inits": nullable(uniqueArray(array(string(enum: inits), min: 1, max: 4,
                                                "One job per init, on identical batches (null or left out: normal, xavier, he)."))),
            // Every job would start from the same stored weights: there would be no inits to compare.
            "model": narrowed(ref("ModelConfig"), ["properties": ["from_model": ["type": "null",
                "description": "Each init trains from scratch, so no from_model."]]]),
        ]) { $1 }, description: "The job fields plus the inits to compare."),
        "JobEvent": object([
            "event": string("progress: `data` is the job; error: `data` is an error (the job was deleted).", enum: ["progress", "error"]),
            "data": ["type": "string", "contentMediaType": "application/json",
                     "contentSchema": ["oneOf": [ref("Job"), ref("Error")]]],
            "id": string("The job's iteration (progress events)."),
            "retry": integer(0),
        ], required: ["event", "data"], description: "One server-sent event, as an EventSource client sees it."),
        "InitComparisonResponse": object(["id": string("The experiment that lists the jobs."), "job_ids": array(string(), min: 1)],
                                         required: ["id", "job_ids"]),
        "Progress": object([
            "epoch": integer(0), "epochs": integer(0), "iteration": integer(0), "iterations": integer(0),
            "fraction": number(0, 1), "samples_per_second": nullable(number(0)), "eta_seconds": nullable(number(0)),
        ], required: ["epoch", "epochs", "iteration", "iterations", "fraction", "samples_per_second", "eta_seconds"]),
        "Metrics": object([
            "train_loss": nullable(number()), "train_accuracy": nullable(number(0, 1)),
            "test_loss": nullable(number()), "test_accuracy": nullable(number(0, 1)),
            "validation_loss": nullable(number(nil, nil, "On the held-out share of the training set (training.validation_split); null without one.")),
            "validation_accuracy": nullable(number(0, 1)),
            "learning_rate": nullable(number(0, nil, "The rate of the last step (the schedule's, when there is one).")),
        ], required: ["train_loss", "train_accuracy", "test_loss", "test_accuracy"]),
        "EarlyStopping": object([
            "metric": string(enum: EarlyStoppingSettings.Metric.allCases.map(\.rawValue)), "patience": integer(0),
            "best_iteration": nullable(integer(0)), "best_value": nullable(number()),
            "waited": integer(0, nil, "Evaluations since the best without a gain."),
            "stopped_at_iteration": nullable(integer(0, nil, "Where the run stopped before its last iteration.")),
            "kept_iteration": nullable(integer(0, nil, "The evaluation whose weights the model holds (restore_best).")),
        ], required: ["metric", "patience", "best_iteration", "best_value", "waited", "stopped_at_iteration", "kept_iteration"]),
        "Warning": object(["code": string(), "message": string(), "docs": docsReference,
                           "layer": integer(0, nil, "The layer concerned (training monitor findings)."),
                           "iteration": integer(0, nil, "The iteration whose diagnostics showed it (training monitor findings).")],
                          required: ["code", "message", "docs"]),
        "LayerDiagnostics": object([
            "index": integer(0), "units": integer(1),
            "activation_mean": nullable(number()), "activation_std": nullable(number()),
            "dead_fraction": nullable(number(0, 1, "Share of units ≤ 0 for every sample of the last evaluated batch.")),
            "weight_norm": nullable(number()), "grad_norm": nullable(number()),
            "update_ratio_weights": nullable(number()), "update_ratio_biases": nullable(number()),
            "histogram": object(["edges": array(nullable(number())), "counts": array(integer(0))], required: ["edges", "counts"]),
        ], required: ["index", "units", "activation_mean", "activation_std", "dead_fraction", "weight_norm", "grad_norm",
                      "update_ratio_weights", "update_ratio_biases", "histogram"]),
        "JobError": object(["code": string("e.g. diverged"), "message": string(), "iteration": nullable(integer(0)),
                            "layer": nullable(integer(0)), "hint": nullable(string()), "docs": docsReference],
                           required: ["code", "message", "iteration", "docs"]),
        "Job": object([
            "id": string(), "name": string(), "state": string(enum: states),
            "config": ["type": "object", "description": "The full config with defaults filled."],
            "created_at": string(format: "date-time"),
            "started_at": nullable(string(format: "date-time")), "finished_at": nullable(string(format: "date-time")),
            "progress": ref("Progress"), "metrics": ref("Metrics"), "warnings": array(ref("Warning")),
            "diagnostics": object(["layers": array(ref("LayerDiagnostics"))], required: ["layers"]),
            "model_id": nullable(string()), "error": nullable(ref("JobError")),
            "resumed_from_iteration": nullable(integer(0, nil, "Set when a restart resumed the job from a checkpoint.")),
            "architecture": nullable(ref("Architecture")),
            "early_stopping": nullable(ref("EarlyStopping")),
            "stopped_early_at_iteration": nullable(integer(0, nil, "Set when early stopping ended the run before its last iteration.")),
            "experiment_id": nullable(string("The experiment (sweep, init comparison) the job is a run of.")),
            "successive_halving": nullable(ref("JobHalving")),
        ], required: ["id", "name", "state", "config", "created_at", "started_at", "finished_at", "progress", "metrics",
                      "warnings", "diagnostics", "model_id", "error", "resumed_from_iteration", "architecture",
                      "early_stopping", "stopped_early_at_iteration", "experiment_id", "successive_halving"]),
        "Architecture": object([
            "parameters": integer(0, nil, "Weights and biases of the network."),
            "layers": array(object([
                "type": string(enum: ["conv2d", "maxpool", "avgpool", "dropout", "flatten", "dense"]),
                "activation": nullable(string()), "output_shape": array(integer(1), min: 3, max: 3, "Channels, height, width."),
                "parameters": integer(0), "leaky_slope": number(0, 1),
            ], required: ["type", "activation", "output_shape", "parameters"]), "Every layer, the output layer last."),
        ], required: ["parameters", "layers"], description: "Each layer's output shape and parameter count (what Keras's summary() prints)."),
        "JobList": object(["jobs": array(ref("Job")), "next_cursor": nullable(string("Pass as ?cursor= for the next page."))],
                          required: ["jobs", "next_cursor"]),
        "HistoryPoint": object([
            "iteration": integer(0), "epoch": integer(0),
            "train_loss": nullable(number()), "train_accuracy": nullable(number(0, 1)),
            "test_loss": nullable(number()), "test_accuracy": nullable(number(0, 1)),
            "validation_loss": nullable(number()), "validation_accuracy": nullable(number(0, 1)),
            "learning_rate": number(0, nil, "The rate of this iteration's step."),
        ], required: ["iteration", "epoch", "train_loss", "train_accuracy"]),
        "History": object(["points": array(ref("HistoryPoint"))], required: ["points"], closed: false),
        "Model": object([
            "id": string(), "name": string(), "job_id": nullable(string()), "created_at": string(format: "date-time"),
            "architecture": ["type": "object"], "metrics": ref("Metrics"),
            "dataset": string("The dataset it was trained on; test_index predictions use its test split."),
        ], required: ["id", "name", "job_id", "dataset", "created_at", "architecture", "metrics"]),
        "ModelList": object(["models": array(ref("Model"))], required: ["models"]),
        "PredictRequest": ["oneOf": [
            object(["pixels": array(number(0, 255), min: 784, max: 784, "One 28×28 image, row-major, 0 = background.")], required: ["pixels"]),
            object(["images": array(array(number(0, 255), min: 784, max: 784), min: 1, max: 1000)], required: ["images"]),
            object(["test_index": integer(0, 9999, "An image of the dataset's test set.")], required: ["test_index"]),
        ]],
        "PredictResponse": object(["predictions": array(object([
            "label": integer(0, 9), "probabilities": array(number(0, 1), min: 10, max: 10),
        ], required: ["label", "probabilities"]))], required: ["predictions"]),
        // Null or left out: the default (as the reader of the body takes them).
        "GradcheckRequest": object([
            "model": nullable(narrowed(ref("ModelConfig"), ["properties": ["hidden": array(
                integer(1, TrainingService.gradcheckLimits.units), max: TrainingService.gradcheckLimits.layers,
                "The check runs in the request: at most \(TrainingService.gradcheckLimits.layers) hidden layers of at most "
                + "\(TrainingService.gradcheckLimits.units) units.")]])),
            "samples": nullable(integer(1, TrainingService.gradcheckLimits.samples, "Random images the loss is taken over (default 8).")),
            "seed": nullable(integer(0, 9_007_199_254_740_991, "The random network, images and checked coordinates (default 0).")),
        ]),
        "GradcheckResponse": object(["parameters": array(object([
            "name": string("e.g. layers[0].weights"), "max_relative_error": number(0),
            "checked": integer(0), "skipped_kinks": integer(0),
        ], required: ["name", "max_relative_error", "checked", "skipped_kinks"]))], required: ["parameters"]),
        "DatasetList": object(["datasets": array(object([
            "name": string(), "default": ["type": "boolean"], "train_size": integer(0), "test_size": integer(0),
            "image_shape": array(integer(1), min: 2, max: 2), "error": string("Why it could not be loaded."),
        ], required: ["name", "default"]))], required: ["datasets"]),
        "TestImage": object([
            "dataset": string(), "index": integer(0), "label": integer(0, 9),
            "pixels": array(integer(0, 255), min: 784, max: 784, "28×28, row-major, 0 = background."),
        ], required: ["dataset", "index", "label", "pixels"]),
        "Health": object(["status": string(enum: ["ok"])], required: ["status"], closed: false),
    ]) { $1 }
}
