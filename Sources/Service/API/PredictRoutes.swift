// POST /models/{id}/predict: one prediction (label + 10 probabilities) per image.
import Engine
import Foundation
import HTTP

extension TrainingService {
    func registerPredictRoute() {
        routes.add(.post, "/models/:id/predict") { [unowned self] request in
            let record = try model(request)
            let pixels: [Float]
            switch try PredictRequest(request) {
            case .pixels(let values):
                pixels = values
            case .testIndex(let index):
                let dataset = try loadedDataset(record.dataset)
                guard index < dataset.test.count else {
                    throw APIError.invalidRequest("test_index must be in 0...\(dataset.test.count - 1) (the test split of "
                        + "'\(record.dataset)'), got \(index)", field: "test_index")
                }
                let size = dataset.test.pixelsPerImage
                pixels = dataset.test.pixels[(index * size)..<((index + 1) * size)].map(Float.init)
            }
            guard let predictions = try predictors.predict(record.id, pixels: pixels) else {
                throw APIError.notFound("model", id: record.id)
            }
            return json(["predictions": .array(predictions.map { prediction in
                ["label": .int(prediction.label), "probabilities": .array(prediction.probabilities.map(JSONValue.double))]
            })])
        }
    }
}
