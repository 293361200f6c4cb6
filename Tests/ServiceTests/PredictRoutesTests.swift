// POST /models/{id}/predict with the default job's model: every input form (pixels, images, test_index,
// PNG, PGM) gives the known label of real test images and the same probabilities; malformed input is a 400
// that says what is wrong, an unknown content type a 415.
import Foundation
import Testing
@testable import Service

/// The first test images of MNIST: 7, 2, 1, 0, 4.
private let knownLabels = [7, 2, 1, 0, 4]

private func modelPath() throws -> String {
    "/models/\(try #require(TestService.defaultJob["model_id"]?.stringValue))/predict"
}

private func testImage(_ index: Int) throws -> [Int] {
    let image = try TestService.shared.client.get("/datasets/mnist/test/\(index)").json
    let pixels = image["pixels"]?.arrayValue?.compactMap(\.intValue) ?? []
    try #require(pixels.count == 784)
    return pixels
}

private func predictions(_ response: HTTPResponse) -> [(label: Int?, probabilities: [Double])] {
    (response.json["predictions"]?.arrayValue ?? []).map {
        ($0["label"]?.intValue, $0["probabilities"]?.arrayValue?.compactMap(\.doubleValue) ?? [])
    }
}

@Test func predict_byTestIndexGivesTheKnownLabelsWithProbabilitiesSummingToOne() throws {
    let client = TestService.shared.client
    for (index, label) in knownLabels.enumerated() {
        let response = try client.post(try modelPath(), json: ["test_index": .int(index)])
        #expect(response.status == 200, "\(response.text)")
        let answer = try #require(predictions(response).first)
        #expect(answer.label == label)
        #expect(answer.probabilities.count == 10)
        #expect(abs(answer.probabilities.reduce(0, +) - 1) < 1e-9)
        #expect(answer.probabilities.indices.max { answer.probabilities[$0] < answer.probabilities[$1] } == label)
    }
}

@Test func predict_everyInputFormAgreesWithTestIndex() throws {
    let client = TestService.shared.client
    let path = try modelPath()
    let images = try knownLabels.indices.map(testImage)
    for (index, label) in knownLabels.enumerated() {
        let reference = try #require(predictions(try client.post(path, json: ["test_index": .int(index)])).first)
        let pixels = images[index]
        let byPixels = predictions(try client.post(path, json: ["pixels": .array(pixels.map(JSONValue.int))]))
        let png = Data(PNGFixture(samples: pixels).encode())
        let byPNG = predictions(try client.send("POST", path, body: png, headers: ["Content-Type": "image/png"]))
        let pgm = Data("P5\n# a test image\n28 28\n255\n".utf8) + Data(pixels.map(UInt8.init))
        let byPGM = predictions(try client.send("POST", path, body: pgm, headers: ["Content-Type": "image/x-portable-graymap"]))
        // No Content-Type, and the one `curl --data-binary @digit.png` sends without -H: sniffed as images.
        let bare = predictions(try client.send("POST", path, body: png, headers: [:]))
        let curl = predictions(try client.send("POST", path, body: pgm, headers: ["Content-Type": "application/x-www-form-urlencoded"]))
        for (form, answer) in [("pixels", byPixels.first), ("png", byPNG.first), ("pgm", byPGM.first),
                               ("png without a type", bare.first), ("pgm as a form", curl.first)] {
            #expect(answer?.label == label, "\(form) of test image \(index)")
            #expect(answer?.probabilities == reference.probabilities, "\(form) of test image \(index)")
        }
    }
    let batch = predictions(try client.post(path, json: ["images": .array(images.map { .array($0.map(JSONValue.int)) })]))
    #expect(batch.map(\.label) == knownLabels)
}

@Test func predict_refusesMalformedInputSayingWhatIsWrong() throws {
    let client = TestService.shared.client
    let path = try modelPath()
    let short = try client.post(path, json: ["pixels": [1, 2, 3]])
    #expect(short.status == 400 && short.json["error"]?["field"] == "pixels")
    #expect(short.json["error"]?["message"]?.stringValue?.contains("784") == true)
    var pixels = [JSONValue](repeating: 0, count: 784)
    pixels[300] = 256
    let range = try client.post(path, json: ["images": [.array([JSONValue](repeating: 0, count: 784)), .array(pixels)]])
    #expect(range.status == 400 && range.json["error"]?["field"] == "images[1][300]")
    let both = try client.post(path, json: ["pixels": .array(pixels), "test_index": 1])
    #expect(both.status == 400 && both.json["error"]?["message"]?.stringValue?.contains("exactly one") == true)
    let unknown = try client.post(path, json: ["pixel": .array(pixels)])
    #expect(unknown.status == 400 && unknown.json["error"]?["field"] == "pixel")
    let index = try client.post(path, json: ["test_index": 10_000])
    #expect(index.status == 400 && index.json["error"]?["field"] == "test_index")
    let notPNG = try client.send("POST", path, body: Data([0x89, 0x50, 0x4E, 0x47, 1, 2]), headers: ["Content-Type": "image/png"])
    #expect(notPNG.status == 400 && notPNG.json["error"]?["code"] == "invalid_image")
    let small = Data(PNGFixture(width: 8, height: 8, samples: [Int](repeating: 0, count: 64)).encode())
    let wrongSize = try client.send("POST", path, body: small, headers: ["Content-Type": "image/png"])
    #expect(wrongSize.status == 400 && wrongSize.json["error"]?["message"]?.stringValue?.contains("8×8") == true)
    let text = try client.send("POST", path, body: Data("7".utf8), headers: ["Content-Type": "text/plain"])
    #expect(text.status == 415)
    // `curl -d` without a JSON content type still works.
    let curl = try client.send("POST", path, body: Data("{\"test_index\": 0}".utf8),
                               headers: ["Content-Type": "application/x-www-form-urlencoded"])
    #expect(curl.status == 200 && predictions(curl).first?.label == 7)
    #expect(try client.post("/models/model_nope/predict", json: ["test_index": 0]).status == 404)
}
