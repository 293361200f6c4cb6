// The model store on disk: a model is kept as safetensors with a CRC-32, within 1.1× its raw float bytes; a
// file with one byte altered, or cut short, is a 500 model_corrupt naming the file on predict and on every
// export format, never served; a model an earlier version stored as JSON still predicts and exports.
import Engine
import Foundation
import HTTP
import Testing
import TestSupport
@testable import Service

private func denseModel(seed: UInt64, hidden: Int) -> Model {
    var random = SplitMix64(seed: seed)
    func layer(_ rows: Int, _ columns: Int, _ activation: String) -> Model.Layer {
        Model.Layer(weights: (0..<rows).map { _ in (0..<columns).map { _ in Float(random.nextSigned() * 0.1) } },
                    bias: (0..<rows).map { _ in Float(random.nextSigned() * 0.1) }, activation: activation)
    }
    return Model(layers: [layer(hidden, 784, "relu"), layer(10, hidden, "softmax")], output: .softmax, normalize: .unit)
}

private let image: JSONValue = ["pixels": .array((0..<784).map { .int(($0 * 37) % 256) })]

@Test func aModel_isStoredAsChecksummedSafetensorsWithin1_1TimesItsFloats() throws {
    let service = try TestService()
    let model = denseModel(seed: 1, hidden: 128)
    let imported = try service.client.post("/models", json: try JSONValue(parsing: model.jsonData()))
    let id = try #require(imported.json["id"]?.stringValue, "\(imported.text)")
    let folder = service.directory.file("state/models")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(names.contains("\(id).safetensors") && !names.contains("\(id).json"))
    let size = try #require(try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("\(id).safetensors").path)[.size] as? Int)
    let ratio = Double(size) / Double(model.parameterCount * 4)
    print("stored 784-128-10: \(size) bytes, \(ratio)× its float bytes")
    #expect(ratio >= 1 && ratio <= 1.1)
    // What is stored is what was imported, bit for bit.
    #expect(try service.client.get("/models/\(id)/export").body == model.jsonData())
}

@Test(arguments: ["one byte altered", "cut short"])
func aCorruptModelFile_isA500NamingTheFileAndIsNeverServed(damage: String) throws {
    let service = try TestService()
    let model = denseModel(seed: 2, hidden: 32)
    let id = try #require(try service.client.post("/models", json: try JSONValue(parsing: model.jsonData())).json["id"]?.stringValue)
    #expect(try service.client.post("/models/\(id)/predict", json: image).status == 200)

    // A fresh service on the same state directory, so nothing of the model is in memory.
    let directory = service.directory
    service.service.stop()
    let file = directory.file("state/models/\(id).safetensors")
    var bytes = try Data(contentsOf: file)
    if damage == "cut short" { bytes = bytes.prefix(bytes.count - 40) } else { bytes[bytes.count - 7] ^= 0x10 }
    try bytes.write(to: file)
    let reopened = try TestService(stateDirectory: directory)
    let predicted = try reopened.client.post("/models/\(id)/predict", json: image)
    #expect(predicted.status == 500 && predicted.json["error"]?["code"] == "model_corrupt", "\(predicted.text)")
    #expect(predicted.json["error"]?["message"]?.stringValue?.contains("\(id).safetensors") == true, "\(predicted.text)")
    for format in ["json", "onnx", "safetensors"] {
        let export = try reopened.client.get("/models/\(id)/export?format=\(format)")
        #expect(export.status == 500 && export.json["error"]?["code"] == "model_corrupt", "\(format): \(export.text)")
    }
}

@Test func aModelStoredAsJSONByAnEarlierVersion_stillPredictsAndExports() throws {
    let service = try TestService()
    let model = denseModel(seed: 3, hidden: 16)
    let record = ModelRecord(id: "model_legacy", name: "legacy", jobID: nil, architecture: ModelRecord.architecture(of: model))
    try service.service.store.saveModel(record, export: model.jsonData())
    let predicted = try service.client.post("/models/model_legacy/predict", json: image)
    #expect(predicted.status == 200, "\(predicted.text)")
    let ours = Predictor.normalize(pixels: (0..<784).map { Float(($0 * 37) % 256) }, .unit)
    let expected = try Predictor(model: model).predict(images: ours)[0].probabilities
    let served = (predicted.json["predictions"]?.arrayValue?.first?["probabilities"]?.arrayValue ?? []).compactMap(\.doubleValue)
    #expect(served == expected)
    #expect(try service.client.get("/models/model_legacy/export").body == model.jsonData())
}
