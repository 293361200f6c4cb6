// The evaluation of a stored model in the OpenAPI document: GET /models/{id}/evaluation and
// GET /models/{id}/evaluation/cell, their parameters and their response schemas.
import Foundation

extension OpenAPIDocument {
    private static let split = query("split", string(enum: ["test"]), "The split scored; only test for now (the default).")
    private static let evaluationErrors: [String: JSONValue] = [
        "400": error("A bad query parameter; `field` names it (split, limit, label or predicted)."),
        "404": error("No such model, or its dataset is no longer in the data directory."),
        "409": error("The model does not fit its dataset's test images (their size, or a label past its classes)."),
        "503": error("The model's dataset exists but cannot be loaded."),
    ]

    static let evaluationPaths: [String: JSONValue] = [
        "/models/{id}/evaluation": [
            "parameters": [["$ref": "#/components/parameters/ModelID"]],
            "get": operation("The model scored on its dataset's test split: accuracy and loss as its job's final evaluation "
                             + "measured them, the confusion matrix, per-class precision and recall, and the most confident "
                             + "mistakes. Computed on the first request (seconds for a CNN), then served from memory.",
                             tag: "models", parameters: [
                                 split,
                                 query("limit", integer(TrainingService.mistakeLimit.lowerBound, TrainingService.mistakeLimit.upperBound),
                                       "How many mistakes to list (default \(TrainingService.defaultMistakeLimit))."),
                             ], responses: ["200": json("The evaluation.", ref("ModelEvaluation"))].merging(evaluationErrors) { $1 }),
        ],
        "/models/{id}/evaluation/cell": [
            "parameters": [["$ref": "#/components/parameters/ModelID"]],
            "get": operation("The test images behind one cell of the confusion matrix: their indices, ascending "
                             + "(GET /datasets/{name}/test/{index} serves each).", tag: "models", parameters: [
                                 split,
                                 requiredQuery("label", integer(0, 9), "The true class: the cell's row."),
                                 requiredQuery("predicted", integer(0, 9), "The predicted class: the cell's column."),
                                 query("limit", integer(TrainingService.cellLimit.lowerBound, TrainingService.cellLimit.upperBound),
                                       "How many indices to list (default \(TrainingService.defaultCellLimit)); `count` is all of them."),
                             ], responses: ["200": json("The cell.", ref("EvaluationCell"))].merging(evaluationErrors) { $1 }),
        ],
    ]

    private static let probability = number(0, 1)
    private static let classIndex = integer(0, 9)

    static let evaluationSchemas: [String: JSONValue] = [
        "ModelEvaluation": object([
            "model_id": string(), "dataset": string(), "split": string(enum: ["test"]),
            "count": integer(0, nil, "Test images scored."), "correct": integer(0, nil, "The confusion matrix's trace."),
            "accuracy": number(0, 1, "correct / count: the job's final test_accuracy."),
            "loss": nullable(number(0, nil, "Mean cross-entropy, as the job's test_loss (null when not finite).")),
            "confusion": array(array(integer(0), min: 10, max: 10), min: 10, max: 10,
                               "confusion[label][predicted]: row = true label, column = prediction; the counts sum to count."),
            "per_class": array(ref("ClassScore"), min: 10, max: 10, "One entry per class, by label."),
            "misclassified_count": integer(0, nil, "All mistakes: count − correct."),
            "misclassified": array(ref("Mistake"), max: TrainingService.mistakeLimit.upperBound,
                                   "The first `limit` mistakes, most confident first (ties: lower index first)."),
        ], required: ["model_id", "dataset", "split", "count", "correct", "accuracy", "loss", "confusion", "per_class",
                      "misclassified_count", "misclassified"]),
        "ClassScore": object([
            "label": classIndex,
            "count": integer(0, nil, "Test images of this class: the row's sum."),
            "predicted": integer(0, nil, "Images predicted as this class: the column's sum."),
            "correct": integer(0, nil, "The diagonal cell."),
            "precision": nullable(number(0, 1, "correct / predicted; null when the model never predicts the class.")),
            "recall": nullable(number(0, 1, "correct / count; null when the split has no image of the class.")),
        ], required: ["label", "count", "predicted", "correct", "precision", "recall"]),
        "Mistake": object([
            "index": integer(0, nil, "The image's index in the test split."),
            "label": classIndex, "predicted": classIndex,
            "confidence": nullable(number(0, 1, "The probability given to the prediction (null when the outputs are not finite).")),
            "probabilities": array(nullable(probability), min: 10, max: 10, "As POST /models/{id}/predict gives them."),
        ], required: ["index", "label", "predicted", "confidence"]),
        "EvaluationCell": object([
            "model_id": string(), "dataset": string(), "split": string(enum: ["test"]),
            "label": classIndex, "predicted": classIndex,
            "count": integer(0, nil, "Images in the cell."),
            "indices": array(integer(0), max: TrainingService.cellLimit.upperBound, "The first `limit` of them, ascending."),
        ], required: ["model_id", "dataset", "split", "label", "predicted", "count", "indices"]),
    ]

    static func requiredQuery(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "query", "required": true, "description": .string(description), "schema": schema]
    }
}
