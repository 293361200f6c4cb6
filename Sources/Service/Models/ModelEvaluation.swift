// One model scored on a test split, as GET /models/{id}/evaluation shows it: accuracy and loss, the confusion
// matrix (row = true label, column = prediction), per-class precision and recall, the mistakes most confident
// first, and the samples behind any one cell of the matrix.
import Engine
import Foundation

/// A model's evaluation on its dataset's test split; built once per model (its weights never change).
struct ModelEvaluation: Sendable {
    let modelID: String
    let dataset: String
    let predictions: LabelledPredictions
    /// classes × classes counts: confusion[label][predicted].
    let confusion: [[Int]]
    /// Indices of the mispredicted samples, most confident first (ties: lower index first).
    let mistakes: [Int]
    /// Per mispredicted sample (same order), the probability it gave its prediction; nil when not finite.
    private let confidences: [Double?]

    init(modelID: String, dataset: String, predictions: LabelledPredictions) {
        self.modelID = modelID
        self.dataset = dataset
        self.predictions = predictions
        let classes = predictions.classes
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        var wrong: [(index: Int, confidence: Double?)] = []
        for (index, (label, predicted)) in zip(predictions.labels, predictions.predicted).enumerated() {
            confusion[Int(label)][Int(predicted)] += 1
            guard label != predicted else { continue }
            let p = predictions.prediction(index).probabilities[Int(predicted)]
            wrong.append((index, p.isFinite ? p : nil))
        }
        // A model with non-finite outputs has no confidence to rank by: those samples go last, by index.
        wrong.sort { a, b in
            let (x, y) = (a.confidence ?? -.infinity, b.confidence ?? -.infinity)
            return x != y ? x > y : a.index < b.index
        }
        self.confusion = confusion
        mistakes = wrong.map(\.index)
        confidences = wrong.map(\.confidence)
    }

    var classes: Int { predictions.classes }

    /// The response body: `limit` mistakes (0...), each with its probabilities.
    func json(limit: Int) -> JSONValue {
        let misclassified: [JSONValue] = mistakes.prefix(limit).enumerated().map { rank, index in
            let probabilities = predictions.prediction(index).probabilities
            return ["index": .int(index), "label": .int(Int(predictions.labels[index])),
                    "predicted": .int(Int(predictions.predicted[index])), "confidence": .number(confidences[rank]),
                    "probabilities": .array(probabilities.map { .number($0) })]
        }
        return ["model_id": .string(modelID), "dataset": .string(dataset), "split": "test",
                "count": .int(predictions.count), "correct": .int(predictions.correct),
                "accuracy": .double(predictions.accuracy), "loss": .number(predictions.loss),
                "confusion": .array(confusion.map { .array($0.map(JSONValue.int)) }),
                "per_class": .array((0..<classes).map(perClass)),
                "misclassified_count": .int(mistakes.count), "misclassified": .array(misclassified)]
    }

    /// One class: its samples (`count`, the row's sum), how often it was predicted (the column's sum), precision
    /// = diagonal / column sum and recall = diagonal / row sum, each null when its denominator is 0 (a class the
    /// model never predicts has no precision: 0/0 is not a score of 0).
    private func perClass(_ label: Int) -> JSONValue {
        let count = confusion[label].reduce(0, +)
        let predicted = confusion.reduce(0) { $0 + $1[label] }
        let hits = confusion[label][label]
        return ["label": .int(label), "count": .int(count), "predicted": .int(predicted), "correct": .int(hits),
                "precision": predicted == 0 ? .null : .double(Double(hits) / Double(predicted)),
                "recall": count == 0 ? .null : .double(Double(hits) / Double(count))]
    }

    /// The test indices of confusion cell (label, predicted), ascending: the images behind one count.
    func cell(label: Int, predicted: Int) -> [Int] {
        predictions.labels.indices.filter {
            Int(predictions.labels[$0]) == label && Int(predictions.predicted[$0]) == predicted
        }
    }
}
