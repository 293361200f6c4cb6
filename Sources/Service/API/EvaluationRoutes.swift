// GET /models/{id}/evaluation: the model scored on its dataset's test split (accuracy, loss, confusion matrix,
// per-class precision and recall, the most confident mistakes), and GET /models/{id}/evaluation/cell: the test
// indices behind one cell of the matrix. Scoring runs once per model on a worker lane, then comes from memory.
import Engine
import Foundation
import HTTP
import IDX

extension TrainingService {
    /// `limit` of the evaluation: how many mistakes to list.
    static let mistakeLimit = 0...1000
    static let defaultMistakeLimit = 50
    /// `limit` of a cell: how many indices to list (up to a whole test split).
    static let cellLimit = 0...10_000
    static let defaultCellLimit = 100

    func registerEvaluationRoutes() {
        routes.add(.get, "/models/:id/evaluation") { [unowned self] request in
            let record = try model(request)
            let query = request.query
            try TrainingService.checkSplit(query["split"])
            let limit = try TrainingService.integer(query["limit"], name: "limit", in: TrainingService.mistakeLimit)
                ?? TrainingService.defaultMistakeLimit
            return json(try evaluation(of: record).json(limit: limit))
        }
        routes.add(.get, "/models/:id/evaluation/cell") { [unowned self] request in
            let record = try model(request)
            let query = request.query
            try TrainingService.checkSplit(query["split"])
            let classes = 0...9
            guard let label = try TrainingService.integer(query["label"], name: "label", in: classes) else {
                throw APIError.invalidRequest("label (the true class, 0...9) is required", field: "label")
            }
            guard let predicted = try TrainingService.integer(query["predicted"], name: "predicted", in: classes) else {
                throw APIError.invalidRequest("predicted (the predicted class, 0...9) is required", field: "predicted")
            }
            let limit = try TrainingService.integer(query["limit"], name: "limit", in: TrainingService.cellLimit)
                ?? TrainingService.defaultCellLimit
            let indices = try evaluation(of: record).cell(label: label, predicted: predicted)
            return json(["model_id": .string(record.id), "dataset": .string(record.dataset), "split": "test",
                         "label": .int(label), "predicted": .int(predicted), "count": .int(indices.count),
                         "indices": .array(indices.prefix(limit).map(JSONValue.int))])
        }
    }

    /// Only the test split is scored for now; anything else is a 400 naming `split`.
    static func checkSplit(_ split: String?) throws {
        guard let split, split != "test" else { return }
        throw APIError.invalidRequest("split must be 'test' (the only split evaluated), got '\(split)'", field: "split")
    }

    /// The model's evaluation on its dataset's test split, computed on first use (on the calling worker lane; a
    /// concurrent request for the same model waits for that run) and kept.
    func evaluation(of record: ModelRecord) throws -> ModelEvaluation {
        try evaluations.evaluation(record.id) {
            guard let model = try predictors.model(record.id) else { throw APIError.notFound("model", id: record.id) }
            let dataset = try loadedDataset(record.dataset)
            guard dataset.test.pixelsPerImage == model.inputs else {
                throw APIError.conflict("the model takes \(model.inputs) inputs but the images of '\(record.dataset)' have "
                                        + "\(dataset.test.pixelsPerImage) pixels")
            }
            if let label = dataset.test.labels.first(where: { Int($0) >= model.outputs }) {
                throw APIError.conflict("the test split of '\(record.dataset)' has label \(label); the model has \(model.outputs) classes")
            }
            let normalization: Normalization = switch model.normalize {
            case .unit: .unit
            case .standardize: .standardize
            }
            let images = try datasets.images(record.dataset, normalization).test
            let started = Date()
            let predictions = try Evaluator(model: model).evaluate(images: images, labels: dataset.test.labels)
            let evaluation = ModelEvaluation(modelID: record.id, dataset: record.dataset, predictions: predictions)
            log("model \(record.id): evaluated on the \(predictions.count) test images of '\(record.dataset)' in "
                + String(format: "%.2f s", Date().timeIntervalSince(started)))
            return evaluation
        }
    }
}
