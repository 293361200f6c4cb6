// /datasets: the datasets of the data directory with their sizes, and single test images for the page.
import Foundation
import HTTP
import IDX

extension TrainingService {
    func registerDatasetRoutes() {
        routes.add(.get, "/datasets") { [unowned self] _ in
            let entries: [JSONValue] = datasets.names().map { name in
                var entry: [String: JSONValue] = ["name": .string(name), "default": .bool(name == DatasetCatalog.defaultName)]
                do {
                    let dataset = try datasets.dataset(name)
                    entry["train_size"] = .int(dataset.train.count)
                    entry["test_size"] = .int(dataset.test.count)
                    entry["image_shape"] = [.int(dataset.test.rows), .int(dataset.test.columns)]
                } catch {
                    entry["error"] = .string("\(error)")
                }
                return .object(entry)
            }
            return json(["datasets": .array(entries)])
        }
        routes.add(.get, "/datasets/:name/test/:index") { [unowned self] request in
            let name = request.pathParameters["name"] ?? ""
            let dataset = try loadedDataset(name)
            let text = request.pathParameters["index"] ?? ""
            guard let index = Int(text), index >= 0 else {
                throw APIError.invalidRequest("the index must be an integer ≥ 0, got '\(text)'", field: "index")
            }
            guard index < dataset.test.count else {
                throw APIError(status: 404, code: "not_found",
                               message: "the test split of '\(name)' has images 0...\(dataset.test.count - 1), not \(index)")
            }
            let size = dataset.test.pixelsPerImage
            return json(["dataset": .string(name), "index": .int(index), "label": .int(Int(dataset.test.labels[index])),
                         "pixels": .array(dataset.test.pixels[(index * size)..<((index + 1) * size)].map { .int(Int($0)) })])
        }
    }

    /// The dataset `name`, loading it if needed: 404 when it does not exist, 503 when it cannot be loaded.
    func loadedDataset(_ name: String) throws -> Dataset {
        if let dataset = datasets.loaded(name) { return dataset }
        guard datasets.exists(name) else { throw APIError.notFound("dataset", id: name) }
        do {
            return try datasets.dataset(name)
        } catch {
            throw APIError.unavailable("the dataset '\(name)' cannot be loaded: \(error)")
        }
    }
}
