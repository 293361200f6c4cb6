// What an Evaluator leaves of one pass over a labelled set: each sample's true and predicted class and its raw
// outputs (probabilities are derived on demand, as the Predictor derives them), and the set's mean loss.

/// Every sample's answer over one labelled set.
public struct LabelledPredictions: Sendable {
    /// count: the true classes.
    public let labels: [UInt8]
    /// count: the arg-max of each sample's outputs (the first, on a tie).
    public let predicted: [UInt8]
    /// count × classes: the output layer's activations, row by row.
    public let outputs: [Float]
    public let classes: Int
    public let output: OutputActivation
    /// Mean cross-entropy over the set (0 for an empty set).
    public let loss: Double

    public var count: Int { labels.count }

    /// Samples whose prediction is their label.
    public var correct: Int { zip(labels, predicted).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) } }

    /// correct / count (0 for an empty set).
    public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }

    /// Sample `index` as POST /models/{id}/predict answers it: the arg-max and probabilities summing to 1.
    public func prediction(_ index: Int) -> Prediction {
        let row = outputs[(index * classes)..<((index + 1) * classes)]
        return Predictor.prediction(row.map(Double.init), output)
    }
}
