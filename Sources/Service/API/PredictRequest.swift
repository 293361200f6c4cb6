// The input of POST /models/{id}/predict: JSON `pixels` (one image), `images` (several) or `test_index`,
// or a raw 28×28 PNG / PGM body. Every value is checked and a bad one is named (`images[2][300]`).
import Foundation
import HTTP

/// What to classify.
enum PredictRequest: Equatable {
    /// count × 784 raw pixel values 0...255.
    case pixels([Float])
    /// An image of the model's dataset's test split.
    case testIndex(Int)

    static let pixelCount = 784
    static let maxImages = 1000

    /// Reads the body by its Content-Type: JSON (or none, or curl's default form type), image/png,
    /// image/x-portable-graymap, or application/octet-stream (sniffed). A body that starts as a PNG or PGM
    /// does is read as an image whatever JSON-ish type it came with. Anything else is 415.
    init(_ request: Request) throws {
        let type = (request.headers["Content-Type"] ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        if type.hasPrefix("image/") || type == "application/octet-stream" || ImageDecoder.looksLikeImage(request.body) {
            self = .pixels(try ImageDecoder.decode(request.body).map(Float.init))
        } else if type.isEmpty || type == "application/json" || type.hasSuffix("+json")
                    || type == "application/x-www-form-urlencoded" {
            // The last is what `curl -d '{...}'` sends without -H 'Content-Type: application/json'.
            self = try PredictRequest(json: try RequestBody.object(request))
        } else {
            throw APIError.unsupportedMediaType(type, accepted: ["application/json"] + ImageDecoder.mediaTypes)
        }
    }

    init(json body: JSONReader) throws {
        let fields = ["pixels", "images", "test_index"]
        try body.rejectUnknown(Set(fields))
        // Given means present: null is no value of any of them, so `{"pixels": null}` is refused, not ignored.
        let given = body.keys
        guard given.count == 1 else {
            throw APIError.invalidRequest("give exactly one of pixels (784 numbers 0...255), images ([[784 numbers], ...]) "
                + "or test_index; got " + (given.isEmpty ? "none" : given.joined(separator: " and ")), field: given.last)
        }
        if given == ["test_index"] {
            guard let index = try body.optionalInt("test_index", in: 0...Int(Int32.max)) else {
                throw body.failure("test_index", "must be an integer in 0...\(Int32.max)")
            }
            self = .testIndex(index)
        } else if given == ["pixels"] {
            _ = try body.array("pixels")
            self = .pixels(try PredictRequest.image(JSONReader(try body.value("pixels"), path: "pixels")))
        } else {
            let images = try body.array("images")
            guard (1...PredictRequest.maxImages).contains(images.count) else {
                throw APIError.invalidRequest("images must hold 1...\(PredictRequest.maxImages) images, got \(images.count)", field: "images")
            }
            var all: [Float] = []
            all.reserveCapacity(images.count * PredictRequest.pixelCount)
            for image in images {
                guard image.value.arrayValue != nil else { throw image.failure(nil, "must be an array of 784 numbers") }
                all += try PredictRequest.image(image)
            }
            self = .pixels(all)
        }
    }

    /// 784 numbers in 0...255, else a 400 naming the array or the first bad element.
    static func image(_ image: JSONReader) throws -> [Float] {
        let count = image.value.arrayValue?.count ?? 0
        guard count == pixelCount else {
            throw APIError.invalidRequest("\(image.path) must hold 784 numbers (28×28, row-major), got \(count)", field: image.path)
        }
        return try image.numbers(in: 0...255).map(Float.init)
    }
}
