// Minibatch training driven one step at a time: the service calls `step()` until it has enough (or the job
// is cancelled), `evaluate` whenever it wants metrics, and `checkpoint()` to survive a restart.
// Everything a step touches is allocated in `init`; a step allocates nothing.

/// The outcome of one minibatch step.
public struct StepResult: Equatable, Sendable {
    /// Steps done so far, this one included (1-based).
    public let iteration: Int
    /// The epoch this minibatch belonged to (0-based).
    public let epoch: Int
    /// Samples in this minibatch (the last of an epoch may be partial).
    public let samples: Int
    /// Mean loss over the minibatch, before the update.
    public let loss: Double
    /// Share of the minibatch whose arg-max output was the label, before the update.
    public let accuracy: Double
    /// The learning rate of this step's update.
    public var learningRate: Double = 0
}

/// Loss and accuracy over a set of samples.
public struct Evaluation: Equatable, Sendable {
    public let loss: Double
    public let accuracy: Double
}

/// Trains one network on one data set with one config, step by step.
public final class Trainer {
    public let config: JobConfig
    public let spec: NetworkSpec
    /// Minibatch steps the config asks for (iterations, or epochs × ceil(train count / batch)).
    public let totalIterations: Int
    /// ceil(train count / batch): the last partial batch of an epoch is kept, as PyTorch's DataLoader does.
    public let iterationsPerEpoch: Int
    /// At most this many cores per gemm (nil = the shared pool's limit).
    public let threads: Int?
    /// Steps done so far.
    public internal(set) var iteration = 0
    /// The current epoch (0-based): how many full passes over the training set are complete.
    public internal(set) var epoch = 0

    let network: Network<Float>
    let optimizer: Optimizer<Float>
    let workspace: Workspace<Float>
    /// The step by data slices for networks small enough that splitting each gemm does not pay (nil otherwise).
    private let dataParallel: DataParallelStep?
    /// The first layer's products over the byte images, skipping zero pixels (nil: float images, images too
    /// dense for it to pay, or turned off).
    let sparseInput: SparseInput?
    private var evaluationWorkspace: Workspace<Float>?
    let trainImages: TrainingImages, trainLabels: [UInt8]
    let testImages: [Float], testLabels: [UInt8]
    /// The training samples minibatches are drawn from, and those held out for validation (each ascending;
    /// together every training sample once).
    let trainingIndices: [Int32], validationIndices: [Int32]
    /// Early stopping's watch (unused without early stopping), and the best evaluation's weights when the run
    /// is to end on them.
    var earlyStopping = EarlyStoppingState()
    var bestParameters: [Float]?
    /// The random affine of each training sample (nil: no augmentation).
    let augmentation: Augmentation?
    /// Sample order of the current epoch, and the next position in it.
    var order: [Int32]
    var position = 0
    /// The last step that completed and its minibatch's rows (nil before any, or after a divergence):
    /// while `iteration` still equals it, the workspace holds that batch's activations for `diagnostics()`.
    var lastTrained: (iteration: Int, rows: Int)?
    /// The first minibatch loss this trainer saw (since creation or restore): the scale a blow-up is judged by.
    var referenceLoss: Float?
    /// The generator now, and as it was when the current epoch's order was drawn (for checkpoints).
    var random: SeededRandom
    var epochRandom: SeededRandom
    /// The stream dropout masks are drawn from, one mask per step in layer order (its own stream, so a dropout
    /// layer changes neither the data order nor the initial weights).
    var dropoutRandom: SeededRandom

    /// A trainer for `config` on images (count × inputs, already normalised) and labels 0..<10.
    /// `initialModel` replaces the configured initialisation (its architecture must match the config's).
    public convenience init(config: JobConfig, trainImages: [Float], trainLabels: [UInt8], testImages: [Float],
                            testLabels: [UInt8], initialModel: Model? = nil, threads: Int? = nil, classes: Int = 10) throws {
        try self.init(config: config, trainImages: .floats(trainImages), trainLabels: trainLabels, testImages: testImages,
                      testLabels: testLabels, initialModel: initialModel, threads: threads, classes: classes)
    }

    /// The same with training images as floats or as bytes normalized on the fly (see `TrainingImages`).
    /// Byte images with mostly zero pixels (MNIST) take the first layer's sparse path unless `sparseInput` is
    /// false; it computes the same products, summed in another order.
    public init(config: JobConfig, trainImages: TrainingImages, trainLabels: [UInt8], testImages: [Float],
                testLabels: [UInt8], initialModel: Model? = nil, threads: Int? = nil, classes: Int = 10,
                sparseInput: Bool = true) throws {
        guard !trainLabels.isEmpty, trainImages.count % trainLabels.count == 0 else {
            throw TrainingError.invalidData("\(trainImages.count) pixels do not split into \(trainLabels.count) images")
        }
        let inputs = trainImages.count / trainLabels.count
        guard testImages.count == testLabels.count * inputs else {
            throw TrainingError.invalidData("test set has \(testImages.count) pixels for \(testLabels.count) labels of \(inputs)")
        }
        guard trainLabels.allSatisfy({ Int($0) < classes }), testLabels.allSatisfy({ Int($0) < classes }) else {
            throw TrainingError.invalidData("labels must be below \(classes)")
        }
        self.config = config
        self.threads = threads
        spec = try config.model.networkSpec(inputs: inputs, outputs: classes)
        (trainingIndices, validationIndices) = Trainer.split(count: trainLabels.count,
                                                             held: config.training.validationCount(of: trainLabels.count),
                                                             seed: config.training.seed)
        iterationsPerEpoch = config.training.iterationsPerEpoch(trainCount: trainLabels.count)
        totalIterations = config.training.totalIterations(trainCount: trainLabels.count)
        self.trainImages = trainImages
        self.trainLabels = trainLabels
        self.testImages = testImages
        self.testLabels = testLabels
        network = Network(spec: spec)
        // Weights and data order draw from separate streams of the seed, so jobs that differ only in their
        // init (the init comparison) train on identical batches whatever each init consumes.
        random = SeededRandom(seed: config.training.seed, stream: 1)
        dropoutRandom = SeededRandom(seed: config.training.seed, stream: 2)
        if let initialModel {
            try initialModel.load(into: network)
        } else {
            var initRandom = SeededRandom(seed: config.training.seed)
            network.initialize(config.model.weightInitializer, random: &initRandom)
        }
        epochRandom = random
        optimizer = Optimizer(settings: config.training.optimizerSettings, parameterCount: spec.parameterCount)
        optimizer.threads = threads ?? 0
        workspace = Workspace(spec: spec, capacity: min(config.training.batchSize, trainingIndices.count), keepsPatches: true)
        workspace.threads = threads ?? 0
        workspace.isTraining = true
        let image = TensorShape(image: inputs)
        if let augment = config.training.augment, !augment.isIdentity, image.positions == 1 {
            throw TrainingError.invalidData("training.augment needs square images; these have \(inputs) pixels")
        }
        if let settings = config.training.augment, !settings.isIdentity {
            augmentation = Augmentation(settings: settings, shape: image, capacity: workspace.capacity,
                                        seed: config.training.seed, background: Trainer.background(trainImages, config))
        } else {
            augmentation = nil
        }
        // Augmented images are warped floats, so they cannot be read by their lit bytes.
        if sparseInput, augmentation == nil, case let .bytes(pixels, mean, deviation) = trainImages,
           case .dense(let first) = network.layers[0] {
            self.sparseInput = SparseInput(pixels: pixels, mean: mean, deviation: deviation, layer: first,
                                           capacity: workspace.capacity)
        } else {
            self.sparseInput = nil
        }
        // The step by data slices runs dense layers only (conv layers share one patch scratch).
        dataParallel = spec.isDenseOnly && spec.parameterCount < DataParallelStep.parameterLimit
            ? DataParallelStep(network: network, workspace: workspace, input: self.sparseInput) : nil
        order = trainingIndices
        dataParallel?.gather = { [unowned self] in self.gatherBatch(rows: $0, slot: $1) }
    }

    /// Whether the first layer reads the images through the sparse path.
    public var usesSparseInput: Bool { sparseInput != nil }

    /// Whether `totalIterations` steps are done (stepping further keeps training).
    public var isFinished: Bool { iteration >= totalIterations || earlyStopping.stoppedAt != nil }

    /// The learning rate of the next update.
    public var learningRate: Double {
        config.training.learningRate(update: iteration, epoch: epoch, total: totalIterations)
    }

    /// One minibatch: forward, loss, backward, a finiteness check of the update, and the update. Throws
    /// `TrainingError.diverged` instead of applying a NaN or infinite gradient or an update that overflows.
    @discardableResult
    public func step() throws -> StepResult {
        if position == 0 { beginEpoch() }
        let rows = min(workspace.capacity, order.count - position)
        let rate = learningRate
        lastTrained = nil
        augmentation?.draw(rows: rows)
        let loss = forwardAndBackward(rows: rows)
        guard loss.isFinite else {
            throw TrainingError.diverged(iteration: iteration + 1, layer: network.firstNonFiniteGradientLayer(),
                                         hint: divergenceHint(loss: loss))
        }
        if let maxNorm = config.training.clipGradNorm { network.clipGradients(toNorm: maxNorm) }
        // One pass computes the whole update without storing it: a NaN or infinite gradient, or a finite one
        // that a huge learning rate scales past Float's range, stops the step before any parameter changes.
        if let overflow = optimizer.firstNonFiniteUpdateLayer(network, learningRate: rate) {
            let layer = network.firstNonFiniteGradientLayer()
            throw TrainingError.diverged(iteration: iteration + 1, layer: layer ?? overflow,
                                         hint: divergenceHint(loss: loss, overflowIn: layer == nil ? overflow : nil))
        }
        // A loss that grew a hundredfold (and past 10) is a blow-up even while it is finite: with a huge
        // learning rate a ReLU net can die after one step, its loss enormous but finite and its gradients 0.
        let reference = referenceLoss ?? loss
        referenceLoss = reference
        guard loss <= Trainer.blowUpFactor * reference || loss <= Trainer.blowUpFloor else {
            throw TrainingError.diverged(iteration: iteration + 1, layer: nil,
                                         hint: "the loss grew from \(reference) to \(loss); " + divergenceAdvice)
        }
        let correct = Trainer.correct(workspace.outputs(rows: rows)) { Int(self.trainLabels[Int(self.order[self.position + $0])]) }
        optimizer.update(network, learningRate: rate)
        lastTrained = (iteration + 1, rows)

        let result = StepResult(iteration: iteration + 1, epoch: epoch, samples: rows,
                                loss: Double(loss), accuracy: Double(correct) / Double(rows), learningRate: rate)
        iteration += 1
        position += rows
        if position == order.count { position = 0; epoch += 1 }
        return result
    }

    /// Forward and backward over the first `rows` samples of the workspace: by data slices on several cores when
    /// that pays, else gemm by gemm (the same numbers either way). Returns the mean loss.
    private func forwardAndBackward(rows: Int) -> Float {
        let pool = ThreadPool.shared
        let cores = min(threads ?? pool.maxThreads, pool.maxThreads)
        if let dataParallel, DataParallelStep.pays(parameterCount: network.parameters.count, rows: rows, threads: cores) {
            return dataParallel.run(rows: rows, threads: cores)
        }
        if let sparseInput {
            gatherBatch(rows: 0..<rows, slot: nil)
            sparseInput.gatherAll(rows: rows, threads: cores)
            sparseInput.prepareForward(threads: cores)
        } else {
            gatherBatch(rows: 0..<rows, slot: 0)
        }
        if network.hasDropout { network.drawDropoutMasks(workspace, rows: rows, random: &dropoutRandom) }
        network.forward(workspace, rows: rows, input: sparseInput)
        return network.backward(workspace, rows: rows, input: sparseInput)
    }

    /// Copies the minibatch's samples `slice` (positions in this step's batch) into the workspace: inputs
    /// (or, on the sparse path, which image each row is) and one-hot targets. Slices are independent, so each
    /// thread of a data-parallel step gathers its own, as the sparse path's slot `slot` (nil: the caller
    /// lists the lit pixels itself).
    private func gatherBatch(rows slice: Range<Int>, slot: Int?) {
        let targets = workspace.targets.rows(slice)
        if let sparseInput {
            for r in slice { sparseInput.imageOfRow[r] = Int(order[position + r]) }
            if let slot { sparseInput.gathered(rows: slice, slot: slot) }
        } else {
            gatherInputs(rows: slice)
        }
        Elementwise.fill(targets, 0)
        for r in slice { targets[r - slice.lowerBound, Int(trainLabels[Int(order[position + r])])] = 1 }
    }

    /// The dense path's inputs of the minibatch rows `slice`, from floats or from bytes normalized here, and
    /// warped when augmenting.
    private func gatherInputs(rows slice: Range<Int>) {
        guard let augmentation else {
            Trainer.gather(trainImages, indices: order, start: position + slice.lowerBound, into: workspace.input.rows(slice))
            return
        }
        Trainer.gather(trainImages, indices: order, start: position + slice.lowerBound, into: augmentation.source.rows(slice))
        augmentation.warp(rows: slice, into: workspace.input)
    }

    /// x[r] = the training image indices[start + r], as the network takes it.
    static func gather(_ images: TrainingImages, indices: [Int32], start: Int, into x: Matrix<Float>) {
        switch images {
        case let .floats(values):
            Gather.rows(of: values, indices: indices, start: start, into: x)
        case let .bytes(pixels, mean, deviation):
            Gather.rows(ofPixels: pixels, mean: mean, deviation: deviation, indices: indices, start: start, into: x)
        }
    }

    /// Mean loss and accuracy over `images` (count × inputs) and `labels`, in chunks of up to 1000 samples
    /// (fewer for a network whose chunk would pass 64 MB).
    public func evaluate(images: [Float], labels: [UInt8]) -> Evaluation {
        precondition(images.count == labels.count * spec.inputs, "images and labels disagree")
        return evaluate(count: labels.count, label: { labels[$0] }) { start, input in
            Gather.consecutive(of: images, start: start, into: input)
        }
    }

    /// Mean loss and accuracy over `count` samples, sample i labelled `label(i)`; `fill(start, input)` writes
    /// the samples start..<start + input.rows into `input`.
    func evaluate(count: Int, label: (Int) -> UInt8, fill: (Int, Matrix<Float>) -> Void) -> Evaluation {
        guard count > 0 else { return Evaluation(loss: 0, accuracy: 0) }
        let chunk = evaluationWorkspace
            ?? Workspace(spec: spec, capacity: Workspace<Float>.evaluationCapacity(spec, limit: 1000))
        chunk.threads = threads ?? 0
        evaluationWorkspace = chunk
        var lossSum = 0.0, correct = 0, start = 0
        while start < count {
            let rows = min(chunk.capacity, count - start)
            fill(start, chunk.input.prefix(rows: rows))
            let targets = chunk.targets.prefix(rows: rows)
            Elementwise.fill(targets, 0)
            for r in 0..<rows { targets[r, Int(label(start + r))] = 1 }
            network.forward(chunk, rows: rows)
            lossSum += Double(network.loss(chunk, rows: rows)) * Double(rows)
            let offset = start
            correct += Trainer.correct(chunk.outputs(rows: rows)) { Int(label(offset + $0)) }
            start += rows
        }
        return Evaluation(loss: lossSum / Double(count), accuracy: Double(correct) / Double(count))
    }

    /// Loss and accuracy on the test set given at creation.
    public func evaluateTest() -> Evaluation { evaluate(images: testImages, labels: testLabels) }

    /// Draws this epoch's sample order: file order without shuffle, else a Fisher–Yates shuffle of 0..<count.
    private func beginEpoch() {
        guard config.training.shuffle else { return }
        epochRandom = random
        Trainer.drawOrder(&order, from: trainingIndices, random: &random)
    }

    /// `order` = `base` in a Fisher–Yates shuffle (0..<count when `base` is all of them, as before any split).
    static func drawOrder(_ order: inout [Int32], from base: [Int32], random: inout SeededRandom) {
        for i in order.indices { order[i] = base[i] }
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, random.nextIndex(below: i + 1))
        }
    }

    /// Rows of `outputs` whose arg-max equals `label(row)`.
    static func correct(_ outputs: Matrix<Float>, label: (Int) -> Int) -> Int {
        var correct = 0
        for r in 0..<outputs.rows {
            var best = 0
            for j in 1..<outputs.columns where outputs[r, j] > outputs[r, best] { best = j }
            if best == label(r) { correct += 1 }
        }
        return correct
    }

    /// A minibatch loss this many times the first one, and above the floor, counts as diverged.
    static let blowUpFactor: Float = 100
    static let blowUpFloor: Float = 10

    private func divergenceHint(loss: Float, overflowIn layer: Int? = nil) -> String {
        let cause = layer.map { "the update of layer \($0) overflows (the loss is \(loss))" } ?? "the loss is \(loss)"
        return "\(cause); " + divergenceAdvice
    }

    /// A tenth of the rate, but never above a rate that trains (a tenth of 1e6 is still far past it).
    private var divergenceAdvice: String {
        let lr = config.training.learningRate
        let adaptive = config.training.optimizer == .adam || config.training.optimizer == .adamw
        let sane = adaptive ? 0.001 : config.training.optimizer == .sgd ? 0.1 : 0.01
        let suggestion = min(lr / 10, sane)
        return "lower training.learning_rate (now \(lr)), e.g. to \(suggestion), "
            + "or use an init that suits the activation (he for relu, xavier for sigmoid/tanh)"
    }
}
