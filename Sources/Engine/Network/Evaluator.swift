// Scores a model on a labelled set the way the trainer scores its test set (Trainer.evaluate: the same chunks,
// the same fused cross-entropy, the same arg-max), keeping every sample's outputs on top: what a confusion
// matrix and a list of mistakes are made from.

/// Runs one model over labelled sets; one evaluation at a time (it owns its workspace).
public final class Evaluator {
    public let model: Model
    private let network: Network<Float>
    private var workspace: Workspace<Float>?

    /// The model with a cross-entropy head whatever loss it was trained with: the evaluation's loss is the
    /// cross-entropy the engine defines for the model's output activation.
    public init(model: Model) throws {
        self.model = model
        network = Network(spec: try model.spec(loss: .crossEntropy))
        try model.load(into: network)
    }

    /// Every sample's outputs and arg-max over `images` (count × inputs, normalised as the model was trained)
    /// and `labels` (count, each below the model's outputs), with the mean loss and accuracy. Chunks of up to
    /// 1000 samples, as Trainer.evaluate takes them, so both sum the loss in the same order.
    public func evaluate(images: [Float], labels: [UInt8], threads: Int = 0) -> LabelledPredictions {
        let classes = model.outputs
        precondition(images.count == labels.count * model.inputs, "images and labels disagree")
        precondition(labels.allSatisfy { Int($0) < classes }, "a label is not below \(classes)")
        let chunk = workspace ?? Workspace(spec: network.spec,
                                           capacity: Workspace<Float>.evaluationCapacity(network.spec, limit: 1000))
        chunk.threads = threads
        workspace = chunk
        var outputs = [Float](repeating: 0, count: labels.count * classes)
        var predicted = [UInt8](repeating: 0, count: labels.count)
        var lossSum = 0.0, start = 0
        while start < labels.count {
            let rows = min(chunk.capacity, labels.count - start)
            Gather.consecutive(of: images, start: start, into: chunk.input.prefix(rows: rows))
            let targets = chunk.targets.prefix(rows: rows)
            Elementwise.fill(targets, 0)
            for r in 0..<rows { targets[r, Int(labels[start + r])] = 1 }
            network.forward(chunk, rows: rows)
            lossSum += Double(network.loss(chunk, rows: rows)) * Double(rows)
            let a = chunk.outputs(rows: rows)
            for r in 0..<rows {
                // The first maximum, as Trainer.correct picks it.
                var best = 0
                for j in 0..<classes {
                    outputs[(start + r) * classes + j] = a[r, j]
                    if a[r, j] > a[r, best] { best = j }
                }
                predicted[start + r] = UInt8(best)
            }
            start += rows
        }
        return LabelledPredictions(labels: labels, predicted: predicted, outputs: outputs, classes: classes,
                                   output: model.output, loss: labels.isEmpty ? 0 : lossSum / Double(labels.count))
    }
}
