// The validation split and early stopping: which training samples are held out, their evaluation, and the
// watch that stops a run and keeps its best weights. Decisions read the validation set only, never the test set.

extension Trainer {
    /// Training samples 0..<count split into those trained on and `held` held out, both ascending: the held
    /// out are the first `held` of a shuffle drawn from the seed's own stream, so a seed always holds out the
    /// same samples, whatever the data order or the init.
    static func split(count: Int, held: Int, seed: UInt64) -> (training: [Int32], validation: [Int32]) {
        let all = (0..<Int32(count)).map { $0 }
        guard held > 0 else { return (all, []) }
        var shuffled = all
        var random = SeededRandom(seed: seed, stream: 3)
        drawOrder(&shuffled, from: all, random: &random)
        return (Array(shuffled[held...]).sorted(), Array(shuffled[..<held]).sorted())
    }

    /// The value pixel 0 enters the network as: what the augmentation fills in where it shifts the image away.
    static func background(_ images: TrainingImages, _ config: JobConfig) -> Float {
        switch images {
        case let .bytes(_, mean, deviation): return TrainingImages.value(0, mean: mean, deviation: deviation)
        case .floats: return config.training.normalize == .standardize ? TrainingImages.value(0, mean: 0.1307, deviation: 0.3081) : 0
        }
    }

    /// Samples held out for validation.
    public var validationCount: Int { validationIndices.count }

    /// Samples minibatches are drawn from.
    public var trainedSampleCount: Int { trainingIndices.count }

    /// Mean loss and accuracy over the held-out samples; nil without a split.
    public func evaluateValidation() -> Evaluation? {
        guard !validationIndices.isEmpty else { return nil }
        return evaluate(count: validationIndices.count, label: { self.trainLabels[Int(self.validationIndices[$0])] }) { start, input in
            Trainer.gather(trainImages, indices: validationIndices, start: start, into: input)
        }
    }

    /// Early stopping's verdict on a validation evaluation at the current iteration: the best value and its
    /// weights kept, the patience counted, and the run marked stopped when it runs out.
    public func observeValidation(_ evaluation: Evaluation) {
        guard let settings = config.training.earlyStopping else { return }
        if earlyStopping.observe(evaluation, iteration: iteration, settings: settings), settings.restoreBest {
            bestParameters = network.parameters.toArray()
        }
    }

    /// The iteration the run stopped early at, if it did.
    public var stoppedEarlyAt: Int? { earlyStopping.stoppedAt }

    /// Early stopping's best evaluation: its iteration and value, nil before one (or without early stopping).
    public var bestValidation: (iteration: Int, value: Double)? {
        guard let settings = config.training.earlyStopping, let iteration = earlyStopping.bestIteration,
              let value = earlyStopping.bestValue(settings) else { return nil }
        return (iteration, value)
    }

    /// Puts the best evaluation's weights back when the config asks to end on them (and they are not the
    /// current ones); returns their iteration, nil when nothing changed.
    @discardableResult
    public func restoreBestWeights() -> Int? {
        guard config.training.earlyStopping?.restoreBest == true, let best = bestParameters,
              let bestIteration = earlyStopping.bestIteration, bestIteration != iteration else { return nil }
        network.parameters.assign(best)
        lastTrained = nil
        return bestIteration
    }
}

extension Trainer {
    /// Early stopping's watch as it stands.
    public var earlyStoppingState: EarlyStoppingState { earlyStopping }
}
