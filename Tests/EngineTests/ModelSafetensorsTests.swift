// A model written as safetensors reads back as the same model, and the safetensors library itself
// (safetensors.numpy, in Python) reads every tensor of it bit for bit, with the architecture in its metadata.
import Foundation
import Testing
import TestSupport
@testable import Engine

private let safetensorsInstalled = pythonCanImport("safetensors.numpy")

struct ModelSafetensorsTests {
    @Test func thePyTorchCNN_readsBackAsTheSameModel() throws {
        let model = try Model(json: try ModelPyTorchTests.load().model)
        let data = model.safetensorsData()
        #expect(try Model(safetensors: data) == model)
        #expect(Model.isSafetensors(data) && !Model.isSafetensors(model.jsonData()))
    }

    @Test(.enabled(if: safetensorsInstalled, "needs python3 with safetensors and numpy"))
    func theSafetensorsLibrary_readsEveryTensorBitForBit() throws {
        let model = try Model(json: try ModelPyTorchTests.load().model)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("model.safetensors")
        try model.safetensorsData().write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import json, sys
            from safetensors import safe_open
            from safetensors.numpy import load_file
            tensors = load_file(sys.argv[1])
            with safe_open(sys.argv[1], framework="np") as f:
                metadata = f.metadata()
            json.dump({"metadata": metadata, "tensors": {k: {"dtype": str(v.dtype), "shape": list(v.shape),
                       "bits": v.reshape(-1).view("<u4").tolist()} for k, v in tensors.items()}}, sys.stdout)
            """, file.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python: \(errors)")
        let result = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        let metadata = try #require(result["metadata"] as? [String: String])
        #expect(metadata["architecture"] == model.architectureJSON)
        let tensors = try #require(result["tensors"] as? [String: [String: Any]])
        #expect(Set(tensors.keys) == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias",
                                      "layers.6.weight", "layers.6.bias", "layers.7.weight", "layers.7.bias"])
        #expect(tensors["layers.2.weight"]?["shape"] as? [Int] == [6, 4, 3, 2])
        #expect(tensors["layers.6.weight"]?["shape"] as? [Int] == [16, 294])
        for (i, layer) in model.layers.enumerated() where layer.hasParameters {
            let weight = try #require(tensors["layers.\(i).weight"]), bias = try #require(tensors["layers.\(i).bias"])
            #expect(weight["dtype"] as? String == "float32")
            #expect(weight["bits"] as? [UInt32] == layer.weights.flatMap { $0 }.map(\.bitPattern))
            #expect(bias["bits"] as? [UInt32] == layer.bias.map(\.bitPattern))
        }
    }
}
