// Saving and restoring a trainer mid-run: weights, optimizer moments, generator state and data position,
// so training resumes bit-identically after a restart.

/// Everything needed to resume a Trainer exactly. Codable (JSON or binary property lists both work).
public struct Checkpoint: Codable, Equatable, Sendable {
    public var version = 1
    public var widths: [Int]
    public var iteration: Int
    public var epoch: Int
    public var position: Int
    public var parameters: [Float]
    public var optimizerStep: Int
    public var optimizerState: [Float]
    public var random: SeededRandom
    /// The generator as it was before this epoch's shuffle: restoring redraws the same order from it.
    public var epochRandom: SeededRandom
    /// The dropout masks' stream (absent in checkpoints of networks written before dropout existed).
    public var dropoutRandom: SeededRandom?
    /// The augmentation's stream, early stopping's watch and the best weights so far (absent when unused).
    public var augmentRandom: SeededRandom?
    public var earlyStopping: EarlyStoppingState?
    public var bestParameters: [Float]?
}

extension Trainer {
    /// The trainer's full state now.
    public func checkpoint() -> Checkpoint {
        Checkpoint(widths: spec.widths, iteration: iteration, epoch: epoch, position: position,
                   parameters: network.parameters.toArray(), optimizerStep: optimizer.step,
                   optimizerState: optimizer.state.toArray(), random: random, epochRandom: epochRandom,
                   dropoutRandom: dropoutRandom, augmentRandom: augmentation?.random,
                   earlyStopping: config.training.earlyStopping == nil ? nil : earlyStopping, bestParameters: bestParameters)
    }

    /// Puts the trainer back to `checkpoint`, taken from a trainer with the same config and data.
    public func restore(_ checkpoint: Checkpoint) throws {
        guard checkpoint.version == 1 else { throw TrainingError.checkpointMismatch("unknown version \(checkpoint.version)") }
        guard checkpoint.widths == spec.widths, checkpoint.parameters.count == network.parameters.count,
              checkpoint.optimizerState.count == optimizer.state.count else {
            throw TrainingError.checkpointMismatch("the network or optimizer differs from this config")
        }
        guard checkpoint.position >= 0, checkpoint.position < order.count, checkpoint.iteration >= 0 else {
            throw TrainingError.checkpointMismatch("data position \(checkpoint.position) is outside the training set")
        }
        network.parameters.assign(checkpoint.parameters)
        optimizer.restore(step: checkpoint.optimizerStep, state: checkpoint.optimizerState)
        iteration = checkpoint.iteration
        epoch = checkpoint.epoch
        position = checkpoint.position
        epochRandom = checkpoint.epochRandom
        random = checkpoint.random
        if let stream = checkpoint.dropoutRandom { dropoutRandom = stream }
        if let stream = checkpoint.augmentRandom { augmentation?.random = stream }
        earlyStopping = checkpoint.earlyStopping ?? EarlyStoppingState()
        bestParameters = checkpoint.bestParameters.flatMap { $0.count == network.parameters.count ? $0 : nil }
        referenceLoss = nil
        if config.training.shuffle && position > 0 {
            // Mid-epoch: redraw this epoch's order; the generator then stands where the checkpoint says.
            var replay = epochRandom
            Trainer.drawOrder(&order, from: trainingIndices, random: &replay)
        } else {
            order = trainingIndices
        }
    }

    /// The network's current weights in the export format, with the config's input normalisation.
    public func model() -> Model { Model(network: network, normalize: config.training.normalize) }
}
