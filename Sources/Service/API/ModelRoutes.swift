// /models: list, one model (architecture + metrics), its export (mnistd-net-v2 JSON or ONNX), and import of an export in
// either format (POST).
import Engine
import Foundation
import HTTP

extension TrainingService {
    func registerModelRoutes() {
        routes.add(.get, "/models") { [unowned self] _ in
            json(["models": .array(store.allModels().map(\.json))])
        }
        routes.add(.get, "/models/:id", inline: true) { [unowned self] request in
            json(try model(request).json)
        }
        routes.add(.get, "/models/:id/export") { [unowned self] request in
            let record = try model(request)
            let format = request.query["format"] ?? "json"
            guard TrainingService.exportFormats.contains(format) else {
                throw APIError.invalidRequest("format '\(format)' is not one of \(TrainingService.exportFormats.joined(separator: ", "))",
                                              field: "format")
            }
            // Always made from the checked model: a corrupt file is a 500 model_corrupt, never served.
            guard let model = try store.storedModel(record.id) else { throw APIError.notFound("model", id: record.id) }
            if format == "json" { return Response(status: 200, headers: ["Content-Type": "application/json"], body: model.jsonData()) }
            let body = format == "onnx" ? model.onnxData() : model.safetensorsData()
            return Response(status: 200, headers: ["Content-Type": "application/octet-stream",
                                                   "Content-Disposition": "attachment; filename=\"\(record.id).\(format)\""], body: body)
        }
        routes.add(.delete, "/models/:id") { [unowned self] request in
            let record = try model(request)
            guard try store.deleteModel(record.id) else { throw APIError.notFound("model", id: record.id) }
            predictors.remove(record.id)
            return Response(status: 204)
        }
        routes.add(.post, "/models") { [unowned self] request in
            let type = RequestBody.mediaType(request)
            let record: ModelRecord
            if type == "application/octet-stream" || (type.isEmpty && Model.isSafetensors(request.body)) {
                record = try importSafetensors(request.body)
            } else {
                try RequestBody.requireJSON(request, alsoAccepted: ["application/octet-stream"])
                record = try importModel(request.body)
            }
            return json(record.json, status: 201, headers: ["Location": "/models/\(record.id)"])
        }
    }

    /// What `GET /models/{id}/export?format=` accepts: mnistd-net-v2 JSON (the default), ONNX or safetensors.
    static let exportFormats = ["json", "onnx", "safetensors"]

    /// The model named by the `:id` path parameter, or 404.
    func model(_ request: Request) throws -> ModelRecord {
        let id = request.pathParameters["id"] ?? ""
        guard let record = store.model(id) else { throw APIError.notFound("model", id: id) }
        return record
    }

    /// Parses an export, `mnistd-net-v2` or `mnistd-mlp-v1` (400 naming the field or layer), checks it fits
    /// MNIST (28×28 images in, 10 classes out), and stores it as v2. Optional extra fields: `name`, `dataset`.
    func importModel(_ body: Data) throws -> ModelRecord {
        guard let value = try? JSONValue(parsing: body) else { throw APIError.invalidJSON("the body is not valid JSON") }
        let model = try TrainingService.parsed { try Model(json: value.tree) }
        let fields = JSONReader(value)
        let name = try fields.optionalString("name").map { String($0.prefix(200)) }
        let dataset = try fields.optionalString("dataset") ?? "mnist"
        // v1 has no `input`: there the first layer's columns are the inputs.
        return try register(model, name: name, dataset: dataset,
                            inputField: value["format"]?.stringValue == Model.formatV1 ? "layers[0]" : "input")
    }

    /// Imports a safetensors file (tensors `layers.{i}.weight` / `.bias`, the architecture JSON in
    /// `__metadata__.architecture`, optionally `name` and `dataset` there too); a 400 names the tensor or field.
    func importSafetensors(_ body: Data) throws -> ModelRecord {
        var metadata: [String: String] = [:]
        let model = try TrainingService.parsed {
            let read = try Model.readSafetensors(body)
            metadata = read.metadata
            return read.model
        }
        return try register(model, name: metadata["name"].map { String($0.prefix(200)) }, dataset: metadata["dataset"] ?? "mnist",
                            inputField: "input")
    }

    /// The engine's ModelError as a 400 `invalid_model` naming its field.
    private static func parsed(_ read: () throws -> Model) throws -> Model {
        do { return try read() } catch let error as ModelError {
            // The engine names no field for a wrong `format` value; the API's error shape should.
            let field: String? = if case .wrongFormat = error { "format" } else { error.field }
            throw APIError(status: 400, code: "invalid_model", message: error.description, field: field)
        }
    }

    /// Checks `model` fits MNIST (28×28 images in, 10 classes out) and the dataset exists, and stores it as v2.
    private func register(_ model: Model, name: String?, dataset: String, inputField field: String) throws -> ModelRecord {
        guard model.inputs == 784 else {
            throw APIError(status: 400, code: "invalid_model", message: "\(field) takes \(model.inputs) inputs; MNIST images have 784",
                           field: field)
        }
        guard model.input.positions == 1 || (model.input.height == 28 && model.input.width == 28) else {
            throw APIError(status: 400, code: "invalid_model", message: "input is \(model.input); MNIST images are 1×28×28",
                           field: "input")
        }
        guard model.outputs == 10 else {
            throw APIError(status: 400, code: "invalid_model", message: "the last layer has \(model.outputs) outputs; MNIST has 10 classes",
                           field: "layers[\(model.layers.count - 1)]")
        }
        guard datasets.exists(dataset) || dataset == "mnist" else {
            throw APIError.referenceNotFound(field: "dataset", "no dataset '\(dataset)' in the data directory")
        }
        let id = store.newModelID()
        let record = ModelRecord(id: id, name: name ?? "imported \(id)", jobID: nil, dataset: dataset,
                                 architecture: ModelRecord.architecture(of: model))
        try store.saveModel(record, model: model)
        return record
    }
}
