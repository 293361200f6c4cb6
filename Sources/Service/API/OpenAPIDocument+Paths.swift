// Every endpoint of the service as an OpenAPI path item: parameters, request bodies, responses and errors.
// POST and DELETE carry bearer security.
import Foundation

extension OpenAPIDocument {
    static let paths: [String: JSONValue] = pageFilePaths.merging([
        "/": ["get": operation("The dashboard page.", tag: "service",
                               responses: ["200": ["description": "The page.", "content": ["text/html": ["schema": string()]]]])],
        "/presets": ["get": operation("The named configs a job can start from (`{\"preset\": name}` in POST /jobs), with their networks.",
                                      tag: "jobs", responses: ["200": json("Every preset, the default job first.", ref("PresetList"))])],
        "/datasets": ["get": operation("The datasets of the data directory with their sizes (loads them on first use).", tag: "datasets",
                                       responses: ["200": json("Datasets, the default first.", ref("DatasetList"))])],
        "/datasets/{name}/test/{index}": [
            "parameters": [["$ref": "#/components/parameters/DatasetName"],
                           ["name": "index", "in": "path", "required": true, "description": "0-based index in the test split.",
                            "schema": integer(0, Int.max)]],
            "get": operation("One test image with its label, raw pixels 0...255.", tag: "datasets", responses: [
                "200": json("The image.", ref("TestImage")), "400": error("The index is not an integer."),
                "404": error("No such dataset, or the index is past the end of its test split."),
                "503": error("The dataset exists but cannot be loaded."),
            ]),
        ],
        "/healthz": ["get": operation("200 when the dataset is loaded and the workers run, else 503 with the reason.", tag: "service",
                                      responses: ["200": json("Healthy.", ref("Health")), "503": error("Not ready: the reason.")])],
        "/metrics": ["get": operation("Prometheus text exposition format.", tag: "service",
                                      responses: ["200": ["description": "Metrics.", "content": ["text/plain": ["schema": string()]]]])],
        "/openapi.json": ["get": operation("This document.", tag: "service",
                                           responses: ["200": json("The OpenAPI 3 document.", ["type": "object"])])],
        "/jobs": [
            "post": operation("Queue a training job.", tag: "jobs", body: jsonBody(ref("JobRequest"), optional: true), secured: true, responses: [
                "201": ["description": "Queued.", "headers": ["Location": ["$ref": "#/components/headers/Location"]],
                        "content": ["application/json": ["schema": ref("Job")]]],
                "400": error("Invalid config; `field` names it: a type or range error or an unknown field (all stated by the schema), "
                             + "or what no schema can state: a from_model of another architecture, or a network too big for memory."),
                "404": error("`field` names what does not exist: the dataset, or the from_model."),
                "413": error("Body too large."), "415": error("Not a JSON content type."),
                "503": error("The dataset exists but cannot be loaded."),
                "429": ["description": "The queue is full.", "headers": ["Retry-After": ["$ref": "#/components/headers/RetryAfter"]],
                        "content": ["application/json": ["schema": ref("Error")]]],
            ]),
            "get": operation("List jobs, newest first.", tag: "jobs", parameters: [
                query("state", string(enum: states), "Only jobs in this state."),
                query("limit", integer(1, JobListing.maximumLimit), "Page size (default \(JobListing.defaultLimit))."),
                query("cursor", ["type": "string", "pattern": .string(JobListing.cursorPattern)],
                      "next_cursor of the previous page: where the page starts (any well-formed cursor is a position, "
                      + "so one whose job was deleted still works)."),
            ], responses: ["200": json("One page of jobs.", ref("JobList")), "400": error("Bad query parameter.")]),
        ],
        "/jobs/{id}": [
            "parameters": [["$ref": "#/components/parameters/JobID"]],
            "get": operation("One job.", tag: "jobs", responses: ["200": json("The job.", ref("Job")), "404": error("No such job.")]),
            "delete": operation("Remove a finished job with its history.", tag: "jobs", secured: true, responses: [
                "204": ["description": "Removed."], "404": error("No such job."), "409": error("The job is queued or running."),
            ]),
        ],
        "/jobs/{id}/history": [
            "parameters": [["$ref": "#/components/parameters/JobID"]],
            "get": operation("Training history: one point per iteration, test values where evaluated.", tag: "jobs", parameters: [
                query("since", integer(-1, Int.max), "Only points with iteration > since (default -1: all, including iteration 0)."),
                query("from", integer(0, Int.max), "Only points with iteration ≥ from, so a follower re-reads the point it has "
                      + "last and gets the values evaluated on it since. With since too, the later start holds."),
                query("limit", integer(1, Int.max), "At most this many points (default: all)."),
            ], responses: ["200": json("Points in iteration order.", ref("History")), "400": error("Bad query parameter."),
                           "404": error("No such job.")]),
        ],
        "/jobs/{id}/events": [
            "parameters": [["$ref": "#/components/parameters/JobID"]],
            "get": operation("Server-sent events: the job's progress as it changes, one JSON job per event.", tag: "jobs", responses: [
                "200": ["description": .string("An event stream: `progress` events (data: the job, id: its iteration) while it changes, "
                        + "closed once the job has finished; an `error` event if the job is deleted meanwhile."),
                        "content": ["text/event-stream": ["schema": ref("JobEvent")]]],
                "404": error("No such job."),
            ]),
        ],
        "/jobs/{id}/cancel": [
            "parameters": [["$ref": "#/components/parameters/JobID"]],
            "post": operation("Cancel a queued or running job; it ends `cancelled`.", tag: "jobs", secured: true, responses: [
                "200": json("The job (cancelled, or still running until its next minibatch).", ref("Job")),
                "404": error("No such job."), "409": error("The job has already finished."),
            ]),
        ],
        "/models": [
            "get": operation("List models, newest first.", tag: "models", responses: ["200": json("Models.", ref("ModelList"))]),
            "post": operation("Import a model: mnistd-net-v2 (or v1) JSON, or a safetensors file (F32 tensors `layers.{i}.weight` / "
                              + "`layers.{i}.bias`, i = index in the architecture's `layers`; the architecture, the v2 JSON without "
                              + "weights and biases, in `__metadata__.architecture`, optional `name` and `dataset` beside it). A body "
                              + "without a Content-Type that starts as a safetensors file is read as one.", tag: "models",
                              body: ["required": true, "content": [
                                  "application/json": ["schema": ref("ModelExport")],
                                  "application/octet-stream": ["schema": string(format: "binary")],
                              ]], secured: true,
                              responses: ["201": ["description": "Imported.", "headers": ["Location": ["$ref": "#/components/headers/Location"]],
                                                  "content": ["application/json": ["schema": ref("Model")]]],
                                          "400": error("Not a valid export; beyond what the schema states, the layers must fit together (each "
                                                       + "layer takes the shape the one before gives; a conv2d's weights have the kernel's size; a "
                                                       + "dense layer after conv2d or pooling needs a flatten before it), the last is dense with 10 "
                                                       + "outputs and the activation `output` names, and in mnistd-mlp-v1 the hidden layers share "
                                                       + "one activation. `field` names the layer (layers[i]) or field."),
                                          "404": error("`field` names what does not exist: the dataset."),
                                          "413": error("Body too large."), "415": error("Neither JSON nor application/octet-stream.")]),
        ],
        "/models/{id}": [
            "parameters": [["$ref": "#/components/parameters/ModelID"]],
            "get": operation("One model: architecture and metrics.", tag: "models",
                             responses: ["200": json("The model.", ref("Model")), "404": error("No such model.")]),
            "delete": operation("Remove a model: its file, its record and its place in the prediction cache. A job that "
                                + "started from it already holds its weights.", tag: "models", secured: true, responses: [
                "204": ["description": "Removed."], "404": error("No such model."),
            ]),
        ],
        "/models/{id}/export": [
            "parameters": [["$ref": "#/components/parameters/ModelID"]],
            "get": operation("The model's layers and weights: mnistd-net-v2 JSON; an ONNX model (opset 13; input `image` float32 "
                             + "[N, 1, 28, 28] normalised as the model's `normalize` says, output `probabilities` [N, 10]); or "
                             + "safetensors (as POST /models reads it).", tag: "models",
                             parameters: [query("format", string(enum: TrainingService.exportFormats),
                                                "json (the default), onnx or safetensors.")],
                             responses: ["200": ["description": "The export.", "content": [
                                             "application/json": ["schema": ref("ModelExport")],
                                             "application/octet-stream": ["schema": string(format: "binary")],
                                         ]],
                                         "400": error("`format` is not a format listed here."), "404": error("No such model."),
                                         "500": error("`model_corrupt`: the stored model file is truncated or altered (the message "
                                                      + "names it); nothing of it is served.")]),
        ],
        "/models/{id}/predict": [
            "parameters": [["$ref": "#/components/parameters/ModelID"]],
            "post": operation("Classify images: JSON pixels, a test-set index, or a raw 28×28 PNG/PGM body.", tag: "models",
                              body: ["required": true, "content": [
                                  "application/json": ["schema": ref("PredictRequest")],
                                  "image/png": ["schema": string(format: "binary")],
                                  "image/x-portable-graymap": ["schema": string(format: "binary")],
                              ]], secured: true,
                              responses: ["200": json("One prediction per image.", ref("PredictResponse")),
                                          "400": error("Bad pixels or an undecodable image."), "404": error("No such model."),
                                          "413": error("Body too large."), "415": error("Unsupported content type.")]),
        ],
        "/gradcheck": [
            "post": operation("Compare backprop with central differences, in double precision, per parameter tensor. "
                              + "Runs in the request, so the model and samples are capped (see GradcheckRequest).", tag: "experiments",
                              body: jsonBody(ref("GradcheckRequest"), optional: true), secured: true,
                              responses: ["200": json("One entry per parameter tensor.", ref("GradcheckResponse")),
                                          "400": error("Invalid model config."), "415": error("Not a JSON content type.")]),
        ],
        "/experiments/init-comparison": [
            "post": operation("Start one job per init on identical batches.", tag: "experiments",
                              body: jsonBody(ref("InitComparisonRequest"), optional: true), secured: true,
                              responses: ["201": json("The jobs' ids, in the order of `inits`.", ref("InitComparisonResponse")),
                                          "400": error("Invalid config; `field` names it."), "415": error("Not a JSON content type."),
                                          "404": error("`field` names what does not exist: the dataset."),
                                          "503": error("The dataset exists but cannot be loaded."),
                                          "429": ["description": "The queue has no room for all the jobs.",
                                                  "headers": ["Retry-After": ["$ref": "#/components/headers/RetryAfter"]],
                                                  "content": ["application/json": ["schema": ref("Error")]]]]),
        ],
    ]) { $1 }

    /// The page's script modules and style sheet, one path each (`Page.assets`).
    static let pageFilePaths: [String: JSONValue] = Dictionary(uniqueKeysWithValues: Page.assets.map { name in
        let css = name.hasSuffix(".css")
        let content: JSONValue = .object([css ? "text/css" : "text/javascript": ["schema": string()]])
        let summary = css ? "The dashboard's style sheet." : "A script module of the dashboard (\(name))."
        let item: JSONValue = ["get": operation(summary, tag: "service",
                                                responses: ["200": ["description": css ? "CSS." : "JavaScript.", "content": content]])]
        return ("/" + name, item)
    })

    // MARK: - Helpers

    static func operation(_ summary: String, tag: String, parameters: [JSONValue] = [], body: JSONValue? = nil,
                          secured: Bool = false, responses: [String: JSONValue]) -> JSONValue {
        var all = responses
        if secured { all["401"] = error("Missing or wrong bearer token.") }
        all["default"] = error("Any other error, in the same shape.")
        var op: [String: JSONValue] = ["summary": .string(summary), "tags": [.string(tag)], "responses": .object(all)]
        if !parameters.isEmpty { op["parameters"] = .array(parameters) }
        if let body { op["requestBody"] = body }
        if secured { op["security"] = [["bearer": []]] }
        return .object(op)
    }

    static func json(_ description: String, _ schema: JSONValue) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": schema]]]
    }

    static func error(_ description: String) -> JSONValue { json(description, ref("Error")) }

    /// A JSON request body; `optional` for the operations that read no body as {} (every field its default).
    static func jsonBody(_ schema: JSONValue, optional: Bool = false) -> JSONValue {
        var body: [String: JSONValue] = ["required": .bool(!optional), "content": ["application/json": ["schema": schema]]]
        if optional { body["description"] = "May be left out: no body is {}, every field its default." }
        return .object(body)
    }

    static func query(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": schema]
    }
}
