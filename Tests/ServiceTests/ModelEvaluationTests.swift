// ModelEvaluation on hand-made predictions: a class nobody predicts has no precision (null), mistakes rank by
// confidence with ties by index, non-finite outputs rank last with a null confidence, and a cell lists its
// samples in index order.
import Foundation
import Testing
@testable import Engine
@testable import Service

/// Predictions of a 3-class softmax model over `rows`: (label, outputs).
private func predictions(_ rows: [(UInt8, [Float])]) -> LabelledPredictions {
    let predicted = rows.map { row in UInt8(row.1.indices.max { row.1[$0] < row.1[$1] }!) }
    return LabelledPredictions(labels: rows.map(\.0), predicted: predicted, outputs: rows.flatMap(\.1), classes: 3,
                               output: .softmax, loss: 0.5)
}

@Test func evaluation_givesAClassNobodyPredictsNoPrecisionAndAClassWithoutSamplesNoRecall() throws {
    // Labels 0, 0, 1, 1; predictions 0, 1, 1, 1: class 2 is never predicted and never the label.
    let evaluation = ModelEvaluation(modelID: "m", dataset: "d", predictions: predictions([
        (0, [0.8, 0.1, 0.1]), (0, [0.3, 0.6, 0.1]), (1, [0.1, 0.8, 0.1]), (1, [0.2, 0.7, 0.1])]))
    #expect(evaluation.confusion == [[1, 1, 0], [0, 2, 0], [0, 0, 0]])
    let json = evaluation.json(limit: 10)
    let perClass = try #require(json["per_class"]?.arrayValue)
    #expect(perClass[0] == ["label": 0, "count": 2, "predicted": 1, "correct": 1, "precision": 1.0, "recall": 0.5])
    #expect(perClass[1]["precision"]?.doubleValue == 2.0 / 3.0 && perClass[1]["recall"] == 1.0)
    #expect(perClass[2]["precision"] == .null && perClass[2]["recall"] == .null && perClass[2]["count"] == 0)
    #expect(json["accuracy"] == 0.75 && json["correct"] == 3 && json["count"] == 4 && json["misclassified_count"] == 1)
}

@Test func evaluation_ranksMistakesByConfidenceThenIndex_withNonFiniteOnesLast() throws {
    let nan = Float.nan
    let evaluation = ModelEvaluation(modelID: "m", dataset: "d", predictions: predictions([
        (0, [0.25, 0.5, 0.25]), (0, [nan, nan, nan]), (2, [0.125, 0.75, 0.125]), (1, [0.25, 0.5, 0.25]),
        (1, [0.25, 0.25, 0.5]), (1, [0.0, 1.0, 0.0])]))
    // Samples 0 and 4 are both 0.5 sure (exactly: these sums are exact): the lower index first. Sample 1's NaN
    // outputs predict class 0 (no output beats the first), its label: not a mistake.
    #expect(evaluation.mistakes == [2, 0, 4])
    let json = evaluation.json(limit: 2)
    let listed = try #require(json["misclassified"]?.arrayValue)
    #expect(listed.map { $0["index"] } == [2, 0])
    #expect(listed[0]["label"] == 2 && listed[0]["predicted"] == 1 && listed[0]["confidence"] == 0.75)

    let broken = ModelEvaluation(modelID: "m", dataset: "d", predictions: predictions([
        (1, [nan, nan, nan]), (2, [0.6, 0.3, 0.1]), (2, [nan, nan, nan])]))
    #expect(broken.mistakes == [1, 0, 2])
    let mistakes = try #require(broken.json(limit: 3)["misclassified"]?.arrayValue)
    #expect(mistakes.map { $0["confidence"] == .null } == [false, true, true])
    #expect(broken.json(limit: 3)["loss"] == 0.5)
}

@Test func evaluation_listsACellsSamplesInIndexOrder() {
    let evaluation = ModelEvaluation(modelID: "m", dataset: "d", predictions: predictions([
        (1, [0.1, 0.2, 0.7]), (1, [0.6, 0.3, 0.1]), (1, [0.1, 0.1, 0.8]), (2, [0.1, 0.1, 0.8])]))
    #expect(evaluation.cell(label: 1, predicted: 2) == [0, 2])
    #expect(evaluation.cell(label: 1, predicted: 0) == [1])
    #expect(evaluation.cell(label: 0, predicted: 0) == [])
}
