// Exported ONNX models pass onnx.checker and, run in onnxruntime on real MNIST test images, give the
// Predictor's probabilities (what the service answers) to 1e-5: the PyTorch-made CNN of Fixtures/model_v2.json
// and models of seeded random weights covering the other layers, activations and output heads.
// Fixtures/run_onnx.py does the Python side; CI installs onnx and onnxruntime.
import Foundation
import Testing
import TestSupport
@testable import Engine

private let onnxRuntimeInstalled = pythonCanImport("onnx, onnxruntime")

@Suite(.enabled(if: onnxRuntimeInstalled, "needs python3 with onnx and onnxruntime"))
struct ModelONNXTests {
    /// The first 32 MNIST test images, as pixels 0…255.
    static var pixels: [[Float]] {
        let test = MNISTFixture.dataset.test
        return (0..<32).map { i in test.pixels[(i * 784)..<((i + 1) * 784)].map(Float.init) }
    }

    /// Runs `model` in onnxruntime on `images` (normalised rows); the parsed JSON of run_onnx.py.
    static func runONNX(_ model: Model, _ images: [[Float]]) throws -> [String: Any] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.onnxData().write(to: dir.appendingPathComponent("model.onnx"))
        let rows = images.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",")
        try Data("[\(rows)]".utf8).write(to: dir.appendingPathComponent("images.json"))
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/run_onnx.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, dir.appendingPathComponent("model.onnx").path,
                             dir.appendingPathComponent("images.json").path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "run_onnx.py: \(errors)")
        return try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
    }

    /// The largest |onnxruntime − Predictor| over every probability of the 32 images.
    static func largestDifference(_ model: Model) throws -> Double {
        let images = pixels.map { Predictor.normalize(pixels: $0, model.normalize) }
        let ours = try Predictor(model: model).predict(images: images.flatMap { $0 }).map(\.probabilities)
        let result = try runONNX(model, images)
        #expect(result["inputs"] as? [String] == ["image"] && result["outputs"] as? [String] == ["probabilities"])
        #expect(result["ir_version"] as? Int == 7 && result["opset"] as? [Int] == [13])
        let theirs = try #require(result["probabilities"] as? [[Double]])
        #expect(theirs.count == 32 && theirs.allSatisfy { $0.count == 10 })
        #expect(ours.map(ModelPyTorchTests.label) == theirs.map(ModelPyTorchTests.label))
        return zip(ours, theirs).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? .infinity
    }

    /// A layer of seeded weights in ±scale.
    static func layer(_ kind: Model.Layer.Kind, rows: Int, columns: Int, activation: String, slope: Double? = nil,
                      scale: Double, _ random: inout SplitMix64) -> Model.Layer {
        Model.Layer(kind: kind, weights: (0..<rows).map { _ in (0..<columns).map { _ in Float(random.nextSigned() * scale) } },
                    bias: (0..<rows).map { _ in Float(random.nextSigned() * 0.1) }, activation: activation, leakySlope: slope)
    }

    @Test func thePyTorchCNN_runsInONNXRuntimeWithThePredictorsProbabilities() throws {
        let fixture = try ModelPyTorchTests.load()
        let difference = try ModelONNXTests.largestDifference(try Model(json: fixture.model))
        print("ONNX, PyTorch CNN: largest probability difference from the Predictor \(difference)")
        #expect(difference <= 1e-5)
    }

    @Test func aDenseOnlyModel_flattensTheImageFirst() throws {
        var random = SplitMix64(seed: 23)
        let model = Model(layers: [ModelONNXTests.layer(.dense, rows: 64, columns: 784, activation: "relu", scale: 0.08, &random),
                                   ModelONNXTests.layer(.dense, rows: 32, columns: 64, activation: "relu", scale: 0.2, &random),
                                   ModelONNXTests.layer(.dense, rows: 10, columns: 32, activation: "softmax", scale: 0.3, &random)],
                          output: .softmax, normalize: .standardize)
        let difference = try ModelONNXTests.largestDifference(model)
        print("ONNX, dense 784-64-32-10: largest probability difference from the Predictor \(difference)")
        #expect(difference <= 1e-5)
    }

    @Test(arguments: [OutputActivation.sigmoid, .relu, .linear])
    func aStridedCNN_withEachOutputHead(output: OutputActivation) throws {
        var random = SplitMix64(seed: 5)
        let conv1 = Model.Layer.Kind.conv2d(kernel: Extent2D(4, 4), stride: Extent2D(1, 1), padding: .same)
        let conv2 = Model.Layer.Kind.conv2d(kernel: Extent2D(3, 3), stride: Extent2D(2, 2), padding: .explicit(Extent2D(1, 0)))
        // 1×28×28 → conv 3@4×4 same → 3×28×28 → avgpool 2 → 3×14×14 → conv 5@3×3 /2 pad (1,0) → 5×7×6
        // → maxpool 3 stride 2 → 5×3×2 → flatten 30 → dense 12 → 10.
        let model = Model(input: TensorShape(channels: 1, height: 28, width: 28), layers: [
            ModelONNXTests.layer(conv1, rows: 3, columns: 16, activation: "sigmoid", scale: 0.5, &random),
            Model.Layer(kind: .avgPool(PoolSpec(size: Extent2D(square: 2)))),
            ModelONNXTests.layer(conv2, rows: 5, columns: 27, activation: "softplus", scale: 0.4, &random),
            Model.Layer(kind: .maxPool(PoolSpec(size: Extent2D(square: 3), stride: Extent2D(square: 2)))),
            Model.Layer(kind: .flatten),
            ModelONNXTests.layer(.dense, rows: 12, columns: 30, activation: "leaky_relu", slope: 0.2, scale: 0.4, &random),
            ModelONNXTests.layer(.dense, rows: 10, columns: 12, activation: output.rawValue, scale: 0.5, &random),
        ], output: output, normalize: .unit)
        let difference = try ModelONNXTests.largestDifference(model)
        print("ONNX, strided CNN with a \(output) head: largest probability difference from the Predictor \(difference)")
        #expect(difference <= 1e-5)
    }
}
