// Sweeps and experiments in the OpenAPI document: POST /experiments/sweep, GET /experiments,
// GET and DELETE /experiments/{id}, POST /experiments/{id}/cancel, and their schemas.
import Engine
import Foundation

extension OpenAPIDocument {
    /// The config paths a sweep may vary.
    static let sweepPaths = JobConfig.fields.map(\.path).filter { $0 != "preset" }

    private static let queueFull: JSONValue = [
        "description": "The queue has no room for all the runs; the message says how much room is left.",
        "headers": ["Retry-After": ["$ref": "#/components/headers/RetryAfter"]],
        "content": ["application/json": ["schema": ref("Error")]],
    ]

    static let experimentPaths: [String: JSONValue] = [
        "/experiments/sweep": [
            "post": operation("Start one job per combination of a grid, or per draw of a random search, optionally culled "
                              + "by successive halving.", tag: "experiments",
                              body: jsonBody(ref("SweepRequest")), secured: true,
                              responses: ["201": json("The experiment and its jobs, in run order.", ref("ExperimentCreated")),
                                          "400": error("A bad path, value or scheduler; `field` names it."),
                                          "404": error("`field` names what does not exist: the dataset or from_model."),
                                          "415": error("Not a JSON content type."),
                                          "503": error("The dataset exists but cannot be loaded."), "429": queueFull]),
        ],
        "/experiments": [
            "get": operation("Every experiment, newest first.", tag: "experiments",
                             responses: ["200": json("The experiments.", object(["experiments": array(ref("Experiment"))],
                                                                               required: ["experiments"]))]),
        ],
        "/experiments/{id}": [
            "parameters": [experimentID],
            "get": operation("One experiment: its runs with their params, state and metrics, its rungs, the best run.",
                             tag: "experiments", responses: ["200": json("The experiment.", ref("Experiment")),
                                                             "404": error("No such experiment.")]),
            "delete": operation("Remove a finished experiment with its jobs (their models stay).", tag: "experiments",
                                secured: true, responses: ["204": ["description": "Removed."], "404": error("No such experiment."),
                                                           "409": error("A run is still queued or running.")]),
        ],
        "/experiments/{id}/cancel": [
            "parameters": [experimentID],
            "post": operation("Cancel every run still queued, waiting at a rung or running.", tag: "experiments", secured: true,
                              responses: ["200": json("The experiment after the cancel.", ref("Experiment")),
                                          "404": error("No such experiment."), "409": error("No run is left to cancel.")]),
        ],
    ]

    private static let experimentID: JSONValue = [
        "name": "id", "in": "path", "required": true, "description": "An experiment id.",
        "schema": ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"],
    ]

    private static let interval: JSONValue = array(number(), min: 2, max: 2, "[low, high], low ≤ high.")

    static let experimentSchemas: [String: JSONValue] = [
        "SweepRequest": object([
            "name": string("Shown in lists; default \"sweep\"."),
            "base": ref("JobRequest"),
            "grid": ["type": "object", "minProperties": 1, "propertyNames": ["enum": .array(sweepPaths.map(JSONValue.string))],
                     "additionalProperties": array(["description": "A value the field accepts."], min: 1),
                     "description": .string("Config path → the values to try; one run per combination (at most \(SweepSpace.maxRuns)).")],
            "random": object([
                "count": integer(1, SweepSpace.maxRuns, "Runs to draw."),
                "seed": integer(0, 9_007_199_254_740_991, "The same seed draws the same runs."),
                "space": ["type": "object", "minProperties": 1, "propertyNames": ["enum": .array(sweepPaths.map(JSONValue.string))],
                          "additionalProperties": ["oneOf": [
                              object(["uniform": interval], required: ["uniform"]),
                              object(["log_uniform": interval], required: ["log_uniform"]),
                              object(["int_uniform": array(integer(), min: 2, max: 2)], required: ["int_uniform"]),
                              object(["choice": array(["description": "A value the field accepts."], min: 1)], required: ["choice"]),
                          ]]],
            ], required: ["count", "space"]),
            "same_batches": ["type": "boolean", "description": .string("Every run keeps the base's training.seed, so all see the "
                             + "same batches (default true); false gives run i seed + i.")],
            "scheduler": nullable(ref("SuccessiveHalving")),
        ], description: "The base config and what to vary: give grid or random."),
        "SuccessiveHalving": object([
            "type": string(enum: ["successive_halving"]),
            "metric": string("Compared at each rung (needs training.validation_split > 0); default validation_loss.",
                             enum: SuccessiveHalving.metrics),
            "reduction": integer(2, 8, "1/reduction of the runs go on at each rung; default 3."),
            "rungs": integer(1, 8, "Rung k (0-based) sits at reduction^-(rungs − k) of each run's iterations; "
                             + "default ⌊log_reduction(runs)⌋ − 1."),
        ], required: ["type"]),
        "ExperimentCreated": object(["id": string(), "job_ids": array(string(), min: 1)], required: ["id", "job_ids"]),
        "ExperimentRun": object([
            "id": string("The job's id."), "name": nullable(string()), "params": ["type": "object", "description": "The varied paths' values."],
            "state": string("The job's state, or deleted.", enum: states + ["deleted"]),
            "metrics": nullable(ref("Metrics")), "progress": nullable(ref("Progress")), "model_id": nullable(string()),
            "successive_halving": nullable(ref("JobHalving")),
        ], required: ["id", "name", "params", "state", "metrics", "progress", "model_id", "successive_halving"]),
        "JobHalving": object([
            "rung": integer(0), "iteration": integer(0, nil, "Where the run met the rung."),
            "status": string(enum: ["waiting", "promoted", "culled"]),
            "metric": string(), "value": nullable(number(nil, nil, "The run's metric at the rung; null: none (it ranks last).")),
        ], required: ["rung", "iteration", "status", "metric", "value"], description: "Where successive halving has the run."),
        "Experiment": object([
            "id": string(), "name": string(), "kind": string(enum: ["sweep", "init_comparison"]),
            "created_at": string(format: "date-time"), "base": ["type": "object", "description": "The base config as given."],
            "varied": array(string()), "search": string(enum: ["grid", "random"]), "same_batches": ["type": "boolean"],
            "scheduler": nullable(ref("SuccessiveHalving")), "cancelled": ["type": "boolean"],
            "state": string(enum: ["queued", "running", "succeeded", "failed", "cancelled"]),
            "jobs": array(ref("ExperimentRun")),
            "rungs": array(object([
                "rung": integer(0), "fraction": number(0, 1), "decided": ["type": "boolean"],
                "reached": integer(0, nil, "Runs that have reported here."),
                "went_on": nullable(integer(0, nil, "Runs that survived the rung, once decided.")),
                "values": ["type": "object", "additionalProperties": nullable(number()), "description": "Job id → its value."],
            ], required: ["rung", "fraction", "decided", "reached", "went_on", "values"])),
            "best": nullable(object([
                "job_id": string(), "metric": string(), "value": number(), "params": ["type": "object"],
                "test_accuracy": nullable(number(0, 1)), "model_id": nullable(string()),
            ], required: ["job_id", "metric", "value", "params", "test_accuracy", "model_id"])),
        ], required: ["id", "name", "kind", "created_at", "base", "varied", "search", "same_batches", "scheduler",
                      "cancelled", "state", "jobs", "rungs", "best"]),
    ]
}
