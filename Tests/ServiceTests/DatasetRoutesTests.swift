// /datasets: the data directory's datasets with their sizes, and test images with their IDX labels.
import Foundation
import Testing
@testable import Service

@Test func datasets_listMNISTWithItsSizes() throws {
    let list = try TestService.shared.client.get("/datasets").json
    let mnist = try #require(list["datasets"]?.arrayValue?.first)
    #expect(mnist == ["name": "mnist", "default": true, "train_size": 60000, "test_size": 10000, "image_shape": [28, 28]])
}

@Test func testImage_hasTheLabelAndPixelsOfTheIDXFile() throws {
    let client = TestService.shared.client
    let dataset = try MNISTLocation.registry.dataset("mnist")
    for index in [0, 17, 9999] {
        let image = try client.get("/datasets/mnist/test/\(index)").json
        #expect(image["label"]?.intValue == Int(dataset.test.labels[index]))
        let pixels = image["pixels"]?.arrayValue?.compactMap(\.intValue) ?? []
        #expect(pixels == dataset.test.pixels[(index * 784)..<((index + 1) * 784)].map(Int.init))
    }
    #expect(try client.get("/datasets/mnist/test/10000").status == 404)
    #expect(try client.get("/datasets/mnist/test/-1").status == 400)
    #expect(try client.get("/datasets/nope/test/0").status == 404)
}
