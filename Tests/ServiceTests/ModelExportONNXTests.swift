// GET /models/{id}/export?format=onnx: the PyTorch-made CNN (EngineTests/Fixtures/model_v2.json), imported, is
// served as an ONNX model that onnx.checker accepts and onnxruntime runs (EngineTests/Fixtures/run_onnx.py) to
// the service's own predicted probabilities within 1e-5; an unknown format is a 400 naming `format`.
import Foundation
import Testing
import TestSupport
@testable import Service

private let onnxRuntimeInstalled = pythonCanImport("onnx, onnxruntime")

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("EngineTests/Fixtures")

@Test(.enabled(if: onnxRuntimeInstalled, "needs python3 with onnx and onnxruntime"))
func onnxExport_runsInONNXRuntimeToTheServicesProbabilities() throws {
    let fixture = try JSONValue(parsing: Data(contentsOf: fixtures.appendingPathComponent("model_v2.json")))
    let client = TestService.shared.client
    let imported = try client.post("/models", json: fixture["model"]!)
    let id = try #require(imported.json["id"]?.stringValue, "\(imported.text)")
    let export = try client.get("/models/\(id)/export?format=onnx")
    try #require(export.status == 200, "\(export.text)")
    #expect(export.headers["Content-Type"] == "application/octet-stream")

    let pixels = (fixture["pixels"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap(\.doubleValue) }
    let predicted = try client.post("/models/\(id)/predict", json: ["images": .array(pixels.map { .array($0.map { .int(Int($0)) }) })])
    let ours = (predicted.json["predictions"]?.arrayValue ?? []).map { ($0["probabilities"]?.arrayValue ?? []).compactMap(\.doubleValue) }

    let dir = try TemporaryDirectory()
    try export.body.write(to: dir.file("model.onnx"))
    // The model normalises "unit": the float32 x/255 the service computes, written in its exact shortest form.
    let rows = pixels.map { "[" + $0.map { "\(Float($0) / 255)" }.joined(separator: ",") + "]" }
    try Data("[\(rows.joined(separator: ","))]".utf8).write(to: dir.file("images.json"))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", fixtures.appendingPathComponent("run_onnx.py").path, dir.file("model.onnx").path, dir.file("images.json").path]
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "run_onnx.py: \(errors)")
    let theirs = (try JSONValue(parsing: output)["probabilities"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap(\.doubleValue) }

    #expect(ours.count == 4 && theirs.count == 4 && theirs.allSatisfy { $0.count == 10 })
    let largest = zip(ours, theirs).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? .infinity
    print("ONNX export of the PyTorch CNN: largest difference from the service's probabilities \(largest)")
    #expect(largest <= 1e-5)
}

@Test func export_ofAnUnknownFormat_isA400NamingFormat() throws {
    let fixture = try JSONValue(parsing: Data(contentsOf: fixtures.appendingPathComponent("model_v2.json")))
    let client = TestService.shared.client
    let id = try #require(try client.post("/models", json: fixture["model"]!).json["id"]?.stringValue)
    let response = try client.get("/models/\(id)/export?format=tflite")
    #expect(response.status == 400 && response.json["error"]?["field"] == "format")
    #expect(try client.get("/models/\(id)/export?format=json").json["format"] == "mnistd-net-v2")
    #expect(try client.get("/models/nope/export?format=onnx").status == 404)
}
