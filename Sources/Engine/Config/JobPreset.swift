// Named, ready job configs (`GET /presets`, `{"preset": "lenet5", ...}` in a job body): a network people train
// on MNIST with a recipe that trains it well. A body's own fields override the preset's.

/// A named config a job can start from.
public struct JobPreset: Sendable {
    public let name: String
    /// One line for lists and the page.
    public let summary: String
    /// The whole config the preset stands for (its `preset` unset).
    public let config: JobConfig

    /// Every preset, the default job first.
    public static let all: [JobPreset] = [
        JobPreset(name: "mlp", summary: "The default job: four dense relu layers of 100 units, He init, SGD with momentum.",
                  config: JobConfig()),
        JobPreset(name: "lenet5",
                  summary: "LeNet-5 with ReLU and max pooling (61,706 parameters): AdamW, one-cycle schedule, augmentation, 7 epochs.",
                  config: cnn(Presets.lenet5Layers, epochs: 7, batch: 64, peak: 0.004)),
        JobPreset(name: "cnn_wide",
                  summary: "Two 5×5 conv layers of 16 and 32 filters, dense 128 with dropout (215,370 parameters): AdamW, one-cycle, augmentation, 5 epochs.",
                  config: cnn(Presets.wideLayers, epochs: 5, batch: 128, peak: 0.006)),
        JobPreset(name: "pytorch_example",
                  summary: "The CNN of PyTorch's MNIST example (two 3×3 convs, dropout, 1.2 M parameters), Adam, 3 epochs, as the example trains it.",
                  config: pytorchExample()),
    ]

    /// The preset named `name`.
    public static func named(_ name: String) -> JobPreset? { all.first { $0.name == name } }

    /// A CNN recipe: AdamW (weight decay 0.05) on the one-cycle schedule peaking at `peak`, a small random
    /// affine per sample (±1.5 px, ±8°, ±8%), standardized inputs.
    private static func cnn(_ layers: [LayerSpec], epochs: Int, batch: Int, peak: Double) -> JobConfig {
        var config = JobConfig()
        config.model.layers = layers
        config.training.optimizer = .adamw
        config.training.weightDecay = 0.05
        config.training.learningRate = peak
        config.training.lrSchedule = LearningRateSchedule(.oneCycle(maximum: peak))
        config.training.augment = AugmentSettings(shift: 1.5, rotate: 8, scale: 0.08)
        config.training.batchSize = batch
        config.training.epochs = epochs
        config.training.normalize = .standardize
        return config
    }

    /// PyTorch's example as it stands: Adam at a constant 0.001, no augmentation.
    private static func pytorchExample() -> JobConfig {
        var config = JobConfig()
        config.model.layers = Presets.pytorchExampleLayers
        config.training.optimizer = .adam
        config.training.learningRate = 0.001
        config.training.batchSize = 64
        config.training.epochs = 3
        config.training.normalize = .standardize
        return config
    }
}
