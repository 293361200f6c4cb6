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

@Test func deleteModel_removesItsFileAndCacheEntryAndIsThen404() throws {
    let service = try TestService()
    let model = denseModel(seed: 4, hidden: 16)
    let id = try #require(try service.client.post("/models", json: try JSONValue(parsing: model.jsonData())).json["id"]?.stringValue)
    #expect(try service.client.post("/models/\(id)/predict", json: image).status == 200)
    #expect(service.service.predictors.count == 1)
    let deleted = try service.client.send("DELETE", "/models/\(id)")
    #expect(deleted.status == 204 && deleted.body.isEmpty)
    #expect(service.service.predictors.count == 0 && service.service.predictors.bytes == 0)
    #expect(!FileManager.default.fileExists(atPath: service.directory.file("state/models/\(id).safetensors").path))
    #expect(try service.client.get("/models/\(id)").status == 404)
    #expect(try service.client.post("/models/\(id)/predict", json: image).status == 404)
    #expect(try service.client.send("DELETE", "/models/\(id)").status == 404)
}

@Test func thePredictorCache_staysWithinItsBytesEvictingTheLeastRecentlyUsed() throws {
    // 5 MB: room for two of these 784-64-10 models (each about 0.2 MB parsed, 2.2 MB per predictor with its
    // workspace) but not five.
    let service = try TestService { $0.modelCacheMB = 5 }
    let cache = service.service.predictors
    var ids: [String] = []
    var expected: [[Double]] = []
    let pixels = (0..<784).map { Float(($0 * 37) % 256) }
    for seed in 10..<15 {
        let model = denseModel(seed: UInt64(seed), hidden: 64)
        ids.append(try #require(try service.client.post("/models", json: try JSONValue(parsing: model.jsonData())).json["id"]?.stringValue))
        expected.append(try Predictor(model: model).predict(images: Predictor.normalize(pixels: pixels, .unit))[0].probabilities)
    }
    for round in 0..<2 {
        for (i, id) in ids.enumerated() {
            let response = try service.client.post("/models/\(id)/predict", json: image)
            let served = (response.json["predictions"]?.arrayValue?.first?["probabilities"]?.arrayValue ?? []).compactMap(\.doubleValue)
            #expect(served == expected[i], "round \(round), model \(i)")
            #expect(cache.bytes <= cache.limitBytes, "\(cache.bytes) bytes held")
        }
    }
    #expect(cache.count >= 1 && cache.count < ids.count)
}
