// Class probabilities from a model: 10 numbers per image that sum to 1, whatever the output activation.
import Foundation

/// One image's answer.
public struct Prediction: Equatable, Sendable {
    /// The arg-max class.
    public let label: Int
    /// One probability per class, summing to 1.
    public let probabilities: [Double]
}

/// Runs a model forward on batches of images, whatever its layers (dropout is the identity here).
public final class Predictor {
    public let model: Model
    private let network: Network<Float>
    private var workspace: Workspace<Float>?

    public init(model: Model) throws {
        self.model = model
        network = Network(spec: try model.spec())
        try model.load(into: network)
    }

    /// Pixels 0…255 → network inputs, as the model was trained: x/255, or standardised (mean 0.1307, std 0.3081).
    public static func normalize(pixels: [Float], _ mode: InputNormalization) -> [Float] {
        switch mode {
        case .unit: return pixels.map { $0 / 255 }
        case .standardize: return pixels.map { ($0 / 255 - 0.1307) / 0.3081 }
        }
    }

    /// Probabilities for `images` (count × inputs, already normalised; a 1×H×W image is its pixels row by row).
    /// softmax outputs are returned as they are; sigmoid and relu outputs are divided by their sum (uniform when
    /// all are 0); linear outputs go through softmax.
    public func predict(images: [Float]) -> [Prediction] {
        let inputs = model.inputs
        precondition(inputs > 0 && images.count % inputs == 0, "images must be count × \(inputs)")
        let count = images.count / inputs
        let chunk = workspace ?? Workspace(spec: network.spec,
                                           capacity: Workspace<Float>.evaluationCapacity(network.spec, limit: 256))
        workspace = chunk
        var predictions: [Prediction] = []
        predictions.reserveCapacity(count)
        var start = 0
        while start < count {
            let rows = min(chunk.capacity, count - start)
            Gather.consecutive(of: images, start: start, into: chunk.input.prefix(rows: rows))
            network.forward(chunk, rows: rows)
            let outputs = chunk.outputs(rows: rows)
            for r in 0..<rows { predictions.append(Predictor.prediction(outputs.row(r).toArray().map(Double.init), model.output)) }
            start += rows
        }
        return predictions
    }

    static func prediction(_ outputs: [Double], _ output: OutputActivation) -> Prediction {
        var p = outputs
        switch output {
        case .softmax:
            // Renormalised in double: the float softmax sums to 1 only within float rounding.
            let sum = p.reduce(0, +)
            p = p.map { $0 / sum }
        case .sigmoid, .relu:
            let sum = p.reduce(0, +)
            p = sum > 0 ? p.map { $0 / sum } : p.map { _ in 1 / Double(p.count) }
        case .linear:
            let m = p.max() ?? 0
            let e = p.map { exp($0 - m) }
            let sum = e.reduce(0, +)
            p = e.map { $0 / sum }
        }
        let label = p.indices.max { p[$0] < p[$1] } ?? 0
        return Prediction(label: label, probabilities: p)
    }
}
