// GET /models/{id}/evaluation and /evaluation/cell with the models of two short jobs, an MLP and a CNN: the
// matrix accounts for every test image, scores the model as its job's final evaluation did, counts MNIST's
// classes, derives precision and recall from itself, lists real mistakes most confident first, and points at
// the images of each cell; bad queries are 400s naming the parameter, an unknown model a 404.
import Foundation
import Testing
@testable import Service

/// Test images per class in the real MNIST test set (t10k-labels-idx1-ubyte), as published.
private let mnistTestCounts = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]

/// One short job per kind, trained once for the run; each test reads its model.
private enum EvaluatedJobs {
    static let mlp: JSONValue = train(["model": ["hidden": [32]], "training": ["iterations": 300, "seed": 7]])
    static let cnn: JSONValue = train([
        "model": ["layers": [["type": "conv2d", "filters": 4, "kernel": 5, "padding": 2], ["type": "maxpool", "size": 2],
                             ["type": "dense", "units": 16]]],
        "training": ["iterations": 60, "optimizer": "adam", "learning_rate": 0.005, "seed": 7]])

    static func train(_ body: JSONValue) -> JSONValue {
        do {
            let service = TestService.shared
            let job = try service.waitForEnd(try service.submit(body)["id"]?.stringValue ?? "")
            precondition(job["state"] == "succeeded", "the job did not succeed: \(job)")
            return job
        } catch { fatalError("the job did not run: \(error)") }
    }
}

/// The largest gap two Float summation orders can leave between two mean losses of the same per-sample values.
/// Both sides sum a chunk of n ≤ 1000 per-sample Float losses, divide by n in Float (one rounding) and add the
/// chunk means in Double. A recursive Float sum of n terms ℓ ≥ 0 is within γ(n−1)·Σℓ of the exact sum
/// (Higham, Accuracy and Stability of Numerical Algorithms, §4.2; γ(k) = k·u / (1 − k·u), u = 2⁻²⁴), so two
/// orders differ by at most 2·γ(n−1)·Σℓ, and the two divisions add 2·u; the Double part is 2⁻⁵³-small. Relative
/// to the exact mean, which is below either result × (1 + γ(n−1) + u).
private func lossBound(_ a: Double, _ b: Double) -> Double {
    let u = 0x1p-24, n = 1000.0
    let gamma = (n - 1) * u / (1 - (n - 1) * u)
    return 2 * (gamma + u) * max(a, b) * (1 + gamma + u)
}

private func evaluation(_ modelID: String, _ query: String = "") throws -> JSONValue {
    let response = try TestService.shared.client.get("/models/\(modelID)/evaluation" + query)
    try #require(response.status == 200, "\(response.text)")
    return response.json
}

private func ints(_ value: JSONValue?) -> [Int] { (value?.arrayValue ?? []).compactMap(\.intValue) }

/// Every property the evaluation of `job`'s model must have.
private func checkEvaluation(of job: JSONValue) throws {
    let modelID = try #require(job["model_id"]?.stringValue)
    let body = try evaluation(modelID, "?split=test&limit=1000")
    // The body is what the OpenAPI document promises (schemathesis meets no model, so it sees only 404s here).
    let validator = SchemaValidator(document: OpenAPIDocument.document)
    #expect(validator.isValid(body, OpenAPIDocument.ref("ModelEvaluation")))
    let labels = try MNISTLocation.registry.dataset("mnist").test.labels
    let confusion = (body["confusion"]?.arrayValue ?? []).map(ints)
    try #require(confusion.count == 10 && confusion.allSatisfy { $0.count == 10 }, "\(body)")

    // Every test image is in exactly one cell; the diagonal is the job's final test accuracy.
    let total = confusion.joined().reduce(0, +)
    #expect(total == labels.count && total == 10_000 && body["count"] == .int(total))
    let trace = (0..<10).reduce(0) { $0 + confusion[$1][$1] }
    #expect(body["correct"] == .int(trace))
    let accuracy = Double(trace) / Double(total)
    #expect(body["accuracy"]?.doubleValue == accuracy)
    #expect(accuracy == job["metrics"]?["test_accuracy"]?.doubleValue, "job: \(job["metrics"] ?? .null)")
    let loss = try #require(body["loss"]?.doubleValue), jobLoss = try #require(job["metrics"]?["test_loss"]?.doubleValue)
    #expect(abs(loss - jobLoss) <= lossBound(loss, jobLoss), "loss \(loss), the job's \(jobLoss)")

    // Rows are the labels of the real test set; precision and recall are the matrix's.
    let perClass = try #require(body["per_class"]?.arrayValue)
    try #require(perClass.count == 10)
    var labelCounts = [Int](repeating: 0, count: 10)
    for label in labels { labelCounts[Int(label)] += 1 }
    #expect(labelCounts == mnistTestCounts)
    for (label, entry) in perClass.enumerated() {
        let row = confusion[label].reduce(0, +), column = confusion.reduce(0) { $0 + $1[label] }
        let hits = confusion[label][label]
        #expect(entry["label"] == .int(label) && entry["count"] == .int(labelCounts[label]) && row == labelCounts[label])
        #expect(entry["predicted"] == .int(column) && entry["correct"] == .int(hits))
        #expect(entry["recall"]?.doubleValue == Double(hits) / Double(row))
        if column == 0 {
            #expect(entry["precision"] == .null, "class \(label) is never predicted")
        } else {
            #expect(entry["precision"]?.doubleValue == Double(hits) / Double(column))
        }
    }

    // Mistakes: all of them (fewer than 1000 here), each really wrong, most confident first.
    let mistakes = try #require(body["misclassified"]?.arrayValue)
    #expect(body["misclassified_count"] == .int(total - trace))
    #expect(mistakes.count == min(1000, total - trace) && !mistakes.isEmpty)
    let confidences = mistakes.compactMap { $0["confidence"]?.doubleValue }
    #expect(confidences.count == mistakes.count && confidences == confidences.sorted(by: >))
    var offDiagonal = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
    for mistake in mistakes {
        let index = try #require(mistake["index"]?.intValue)
        let label = try #require(mistake["label"]?.intValue), predicted = try #require(mistake["predicted"]?.intValue)
        #expect(label == Int(labels[index]) && label != predicted, "\(mistake)")
        offDiagonal[label][predicted] += 1
        let probabilities = (mistake["probabilities"]?.arrayValue ?? []).compactMap(\.doubleValue)
        #expect(probabilities.count == 10 && probabilities.max() == probabilities[predicted])
        #expect(mistake["confidence"]?.doubleValue == probabilities[predicted])
    }
    if mistakes.count == total - trace {
        for l in 0..<10 { for p in 0..<10 where l != p { #expect(offDiagonal[l][p] == confusion[l][p], "cell \(l), \(p)") } }
    }
    // The most confident mistake is what predict answers for that image.
    let first = try #require(mistakes.first)
    let predicted = try TestService.shared.client.post("/models/\(modelID)/predict", json: ["test_index": first["index"]!])
    #expect(predicted.json["predictions"]?[0]?["label"] == first["predicted"])
    #expect(predicted.json["predictions"]?[0]?["probabilities"] == first["probabilities"])

    // limit: the default, a few, none.
    #expect(try evaluation(modelID)["misclassified"]?.arrayValue?.count == min(50, total - trace))
    let three = try evaluation(modelID, "?limit=3")
    #expect(three["misclassified"]?.arrayValue == Array(mistakes.prefix(3)))
    #expect(try evaluation(modelID, "?limit=0")["misclassified"] == [])
    #expect(three["confusion"] == body["confusion"] && three["loss"] == body["loss"])
}

private extension JSONValue {
    subscript(index: Int) -> JSONValue? { arrayValue.flatMap { index < $0.count ? $0[index] : nil } }
}

@Test func evaluation_ofAnMLP_accountsForEveryTestImageAndScoresItAsItsJobDid() throws {
    try checkEvaluation(of: EvaluatedJobs.mlp)
}

@Test func evaluation_ofACNN_accountsForEveryTestImageAndScoresItAsItsJobDid() throws {
    try checkEvaluation(of: EvaluatedJobs.cnn)
}

@Test func evaluation_isComputedOnceAndThenServedFromMemory() throws {
    let modelID = try #require(EvaluatedJobs.mlp["model_id"]?.stringValue)
    let first = try evaluation(modelID)
    #expect(TestService.shared.service.evaluations.contains(modelID))
    #expect(try evaluation(modelID) == first)
}

@Test func evaluationCell_listsTheTestImagesBehindEachCountOfARow() throws {
    let modelID = try #require(EvaluatedJobs.mlp["model_id"]?.stringValue)
    let client = TestService.shared.client
    let confusion = (try evaluation(modelID)["confusion"]?.arrayValue ?? []).map(ints)
    let labels = try MNISTLocation.registry.dataset("mnist").test.labels
    let label = 9
    var seen: Set<Int> = []
    for predicted in 0..<10 {
        let cell = try client.get("/models/\(modelID)/evaluation/cell?label=\(label)&predicted=\(predicted)&limit=10000")
        try #require(cell.status == 200, "\(cell.text)")
        let indices = ints(cell.json["indices"])
        #expect(cell.json["count"] == .int(confusion[label][predicted]) && indices.count == confusion[label][predicted])
        #expect(indices == indices.sorted() && indices.allSatisfy { Int(labels[$0]) == label })
        #expect(SchemaValidator(document: OpenAPIDocument.document).isValid(cell.json, OpenAPIDocument.ref("EvaluationCell")))
        seen.formUnion(indices)
    }
    #expect(seen == Set(labels.indices.filter { labels[$0] == label }))
    // The worst off-diagonal cell: its images are predicted as its column; limit cuts the list, not the count.
    let (worst, count) = (0..<9).map { ($0, confusion[label][$0]) }.max { $0.1 < $1.1 }!
    try #require(count > 1, "no off-diagonal cell in row \(label) with two images")
    let cut = try client.get("/models/\(modelID)/evaluation/cell?label=\(label)&predicted=\(worst)&limit=1")
    #expect(cut.json["count"] == .int(count) && ints(cut.json["indices"]).count == 1)
    let index = try #require(ints(cut.json["indices"]).first)
    #expect(try client.post("/models/\(modelID)/predict", json: ["test_index": .int(index)]).json["predictions"]?[0]?["label"] == .int(worst))
    let byDefault = try client.get("/models/\(modelID)/evaluation/cell?label=\(label)&predicted=\(label)")
    #expect(ints(byDefault.json["indices"]).count == min(100, confusion[label][label]))
}

@Test func evaluation_refusesABadSplitOrLimitNamingIt_andAnUnknownModelIs404() throws {
    let modelID = try #require(EvaluatedJobs.mlp["model_id"]?.stringValue)
    let client = TestService.shared.client
    func field(_ path: String) throws -> String? {
        let response = try client.get(path)
        #expect(response.status == 400, "\(path): \(response.status) \(response.text)")
        return response.json["error"]?["field"]?.stringValue
    }
    let base = "/models/\(modelID)/evaluation"
    for split in ["train", "TEST", "", "validation"] { #expect(try field("\(base)?split=\(split)") == "split") }
    for limit in ["-1", "1001", "ten", "", "2.5"] { #expect(try field("\(base)?limit=\(limit)") == "limit") }
    let cell = base + "/cell"
    #expect(try field("\(cell)?predicted=3") == "label")
    #expect(try field("\(cell)?label=3") == "predicted")
    #expect(try field("\(cell)?label=10&predicted=3") == "label")
    #expect(try field("\(cell)?label=3&predicted=-1") == "predicted")
    #expect(try field("\(cell)?label=3&predicted=5&limit=10001") == "limit")
    #expect(try field("\(cell)?label=3&predicted=5&split=train") == "split")
    for path in ["/models/model_nope/evaluation", "/models/model_nope/evaluation/cell?label=3&predicted=5"] {
        let missing = try client.get(path)
        #expect(missing.status == 404 && missing.json["error"]?["code"] == "not_found", "\(path): \(missing.text)")
    }
}
