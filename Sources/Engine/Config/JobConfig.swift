// The job config (README: Job config fields) as typed values with their defaults, and what the engine derives from it
// (network spec, initialiser, optimizer settings, iteration count). Parsing and encoding are extensions.

/// Hidden-layer activation names of the config.
public enum HiddenActivation: String, CaseIterable, Sendable {
    case relu, leaky_relu, sigmoid, tanh, softplus

    /// The engine's activation (leaky_relu with `leakySlope`).
    public func activation(leakySlope: Double) -> Activation {
        switch self {
        case .relu: return .relu
        case .leaky_relu: return .leakyRelu(slope: leakySlope)
        case .sigmoid: return .sigmoid
        case .tanh: return .tanh
        case .softplus: return .softplus
        }
    }
}

/// Initialiser names of the config.
public enum InitKind: String, CaseIterable, Sendable {
    case he, xavier, normal, uniform
}

/// How pixels 0…255 become network inputs: x/255, or (x/255 − 0.1307)/0.3081.
public enum InputNormalization: String, CaseIterable, Sendable {
    case unit, standardize
}

/// A training job: what to train, on which data set, how.
public struct JobConfig: Equatable, Sendable {
    /// The preset (JobPreset) the config started from, if any.
    public var preset: String? = nil
    public var name: String? = nil
    public var dataset: String = "mnist"
    public var model = ModelConfig()
    public var training = TrainingConfig()

    public init() {}
}

/// The `model` object of a job config.
public struct ModelConfig: Equatable, Sendable {
    public var hidden: [Int] = [100, 100, 100, 100]
    public var activation: HiddenActivation = .relu
    public var leakySlope: Double = 0.01
    public var initializer: InitKind = .he
    public var initStd: Double = 0.01
    public var initRange: [Double] = [-0.5, 0.5]
    public var output: OutputActivation = .softmax
    /// nil = cross_entropy for softmax/sigmoid outputs, mse for relu/linear.
    public var loss: LossFunction? = nil
    /// A stored model's id to start from (resolved by the service, not the engine).
    public var fromModel: String? = nil
    /// The layers between input and output (conv2d, pooling, dropout, flatten, dense); nil = dense layers of
    /// `hidden` units.
    public var layers: [LayerSpec]? = nil

    public init() {}

    /// The loss actually used.
    public var resolvedLoss: LossFunction { loss ?? LossFunction.defaultFor(output) }

    /// The engine's activation value for `activation` (with its slope).
    public var hiddenActivation: Activation { activation.activation(leakySlope: leakySlope) }

    /// The initialiser with its parameters.
    public var weightInitializer: Initializer {
        switch initializer {
        case .he: return .he
        case .xavier: return .xavier
        case .normal: return .normal(std: initStd)
        case .uniform: return .uniform(low: initRange[0], high: initRange[1])
        }
    }

    /// A layer whose own activation is leaky_relu, with the model's slope.
    private func withLeakySlope(_ layer: LayerSpec) -> LayerSpec {
        switch layer {
        case .dense(let units, .leakyRelu?): return .dense(units: units, activation: .leakyRelu(slope: leakySlope))
        case .conv2d(var conv):
            if case .leakyRelu? = conv.activation { conv.activation = .leakyRelu(slope: leakySlope) }
            return .conv2d(conv)
        default: return layer
        }
    }

    /// The dense network of `hidden` (ignores `layers`), for `inputs` features and `outputs` classes.
    public func spec(inputs: Int = 784, outputs: Int = 10) -> NetworkSpec {
        NetworkSpec(inputs: inputs, hidden: hidden, outputs: outputs, activation: hiddenActivation,
                    output: output, loss: resolvedLoss)
    }

    /// The network for images of `inputs` pixels (a square single-channel image when `layers` is given) and
    /// `outputs` classes; throws a ConfigError naming the layer whose shapes do not fit.
    public func networkSpec(inputs: Int = 784, outputs: Int = 10) throws -> NetworkSpec {
        guard let layers else { return spec(inputs: inputs, outputs: outputs) }
        return try NetworkSpec(input: TensorShape(image: inputs), layers: layers.map(withLeakySlope), outputs: outputs,
                               activation: hiddenActivation, output: output, loss: resolvedLoss)
    }
}

/// The `training` object of a job config.
public struct TrainingConfig: Equatable, Sendable {
    public var epochs: Int = 10
    /// Minibatch steps; wins over `epochs` when given.
    public var iterations: Int? = nil
    public var batchSize: Int = 128
    public var optimizer: OptimizerKind = .momentum
    public var learningRate: Double = 0.05
    public var momentum: Double = 0.9
    public var weightDecay: Double = 0
    /// The largest L2 norm of the whole gradient; nil = no clipping.
    public var clipGradNorm: Double? = nil
    public var shuffle: Bool = true
    public var seed: UInt64 = 0
    public var normalize: InputNormalization = .unit
    /// 0 = evaluate at the end of each epoch; N = every N iterations.
    public var evalEvery: Int = 0
    /// Adam's and AdamW's β1 and β2, and their ε.
    public var adamBetas: [Double] = [0.9, 0.999]
    public var adamEpsilon: Double = 1e-8
    /// nil = the constant `learningRate`.
    public var lrSchedule: LearningRateSchedule? = nil
    /// The share of the training set held out for validation (0 = none).
    public var validationSplit: Double = 0
    /// nil = train to the end.
    public var earlyStopping: EarlyStoppingSettings? = nil
    /// nil = the images as they are.
    public var augment: AugmentSettings? = nil

    public init() {}

    /// Training samples held out of a training set of `count` for validation: ⌊count × validation_split⌋.
    public func validationCount(of count: Int) -> Int { Int((Double(count) * validationSplit).rounded(.down)) }

    /// Minibatches per epoch over a training set of `trainCount` (before the validation split): ceil(trained
    /// samples / batch). The last, partial batch is kept (PyTorch's DataLoader default).
    public func iterationsPerEpoch(trainCount: Int) -> Int {
        (trainCount - validationCount(of: trainCount) + batchSize - 1) / batchSize
    }

    /// Minibatch steps the job runs: `iterations` if given, else epochs × iterations per epoch.
    public func totalIterations(trainCount: Int) -> Int {
        iterations ?? epochs * iterationsPerEpoch(trainCount: trainCount)
    }

    /// The learning rate of update `update` (0-based) in epoch `epoch` (0-based) of a run of `total` updates.
    public func learningRate(update: Int, epoch: Int, total: Int) -> Double {
        lrSchedule?.rate(base: learningRate, update: update, epoch: epoch, total: total) ?? learningRate
    }

    /// The optimizer settings.
    public var optimizerSettings: OptimizerSettings {
        var settings = OptimizerSettings(kind: optimizer, learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
        settings.beta1 = adamBetas[0]
        settings.beta2 = adamBetas[1]
        settings.epsilon = adamEpsilon
        return settings
    }
}
