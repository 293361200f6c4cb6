// safetensors through /models: a CNN trained in PyTorch and saved by safetensors.torch
// (EngineTests/Fixtures/cnn.safetensors, made with its probabilities by Fixtures/make_safetensors_cnn.py) imports
// as application/octet-stream, or sniffed without a Content-Type, and predicts PyTorch's probabilities for the
// first 32 MNIST test images; its safetensors export imports back to the same weights; a broken file is a
// 400 naming the tensor or field.
import Foundation
import HTTP
import Testing
@testable import Service

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("EngineTests/Fixtures")

private func importing(_ body: Data, contentType: String? = "application/octet-stream") throws -> ClientResponse {
    let headers = contentType.map { ["Content-Type": $0] } ?? [:]
    return try TestService.shared.client.send("POST", "/models", body: body, headers: headers)
}

@Test func aPyTorchCNNInSafetensors_importsAndPredictsPyTorchsProbabilities() throws {
    let body = try Data(contentsOf: fixtures.appendingPathComponent("cnn.safetensors"))
    let reference = try JSONValue(parsing: Data(contentsOf: fixtures.appendingPathComponent("cnn_predictions.json")))
    let imported = try importing(body)
    try #require(imported.status == 201, "\(imported.text)")
    let id = try #require(imported.json["id"]?.stringValue)
    #expect(imported.json["architecture"]?["parameters"] == .int(104 + 296 + 288 * 32 + 32 + 330))
    let client = TestService.shared.client
    var largest = 0.0
    for (i, row) in (reference["probabilities"]?.arrayValue ?? []).enumerated() {
        let response = try client.post("/models/\(id)/predict", json: ["test_index": .int(i)])
        try #require(response.status == 200, "\(response.text)")
        let prediction = try #require(response.json["predictions"]?.arrayValue?.first)
        let ours = (prediction["probabilities"]?.arrayValue ?? []).compactMap(\.doubleValue)
        let theirs = (row.arrayValue ?? []).compactMap(\.doubleValue)
        #expect(ours.count == 10 && theirs.count == 10)
        largest = max(largest, zip(ours, theirs).map { abs($0 - $1) }.max() ?? .infinity)
        #expect(prediction["label"] == reference["labels"]?.arrayValue?[i])
    }
    print("safetensors CNN from PyTorch: largest difference from PyTorch's float64 probabilities \(largest)")
    #expect(reference["probabilities"]?.arrayValue?.count == 32 && largest <= 1e-5)

    // Without a Content-Type the body is sniffed; the export is safetensors again, and imports to the same model.
    let sniffed = try importing(body, contentType: nil)
    #expect(sniffed.status == 201, "\(sniffed.text)")
    let export = try client.get("/models/\(id)/export?format=safetensors")
    #expect(export.status == 200 && export.headers["Content-Type"] == "application/octet-stream")
    let again = try importing(export.body)
    let againID = try #require(again.json["id"]?.stringValue, "\(again.text)")
    #expect(try client.get("/models/\(againID)/export").body == client.get("/models/\(id)/export").body)
}

@Test func aBrokenSafetensorsFile_isA400NamingTheTensorOrField() throws {
    let body = try Data(contentsOf: fixtures.appendingPathComponent("cnn.safetensors"))
    let truncated = try importing(body.prefix(body.count - 100))
    #expect(truncated.status == 400 && truncated.json["error"]?["code"] == "invalid_model")
    #expect(truncated.json["error"]?["message"]?.stringValue?.contains("data_offsets") == true, "\(truncated.text)")
    let header = try importing(body.prefix(6))
    #expect(header.status == 400 && header.json["error"]?["field"] == "header", "\(header.text)")

    // The header rewritten in place (same length): a tensor renamed, then a dtype changed.
    func edited(_ from: String, _ to: String) throws -> ClientResponse {
        precondition(from.utf8.count == to.utf8.count)
        let range = try #require(body.range(of: Data(from.utf8)))
        var copy = body
        copy.replaceSubrange(range, with: Data(to.utf8))
        return try importing(copy)
    }
    let renamed = try edited("\"layers.5.weight\"", "\"layers.4.weight\"")
    #expect(renamed.status == 400 && renamed.json["error"]?["field"] == "layers[5]", "\(renamed.text)")
    let dtype = try edited("\"F32\"", "\"F16\"")
    #expect(dtype.status == 400 && dtype.json["error"]?["field"]?.stringValue?.hasSuffix(".dtype") == true, "\(dtype.text)")
    let other = try TestService.shared.client.send("POST", "/models", body: body, headers: ["Content-Type": "image/png"])
    #expect(other.status == 415)
}
