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
        JobPreset(name: "lenet5", summary: "LeNet-5 with ReLU and max pooling (61,706 parameters), Adam, 4 epochs.",
                  config: cnn(Presets.lenet5Layers, epochs: 4, batch: 64, learningRate: 0.001)),
        JobPreset(name: "pytorch_example",
                  summary: "The CNN of PyTorch's MNIST example (two 3×3 convs, dropout, 1.2 M parameters), Adam, 3 epochs.",
                  config: cnn(Presets.pytorchExampleLayers, epochs: 3, batch: 64, learningRate: 0.001)),
    ]

    /// The preset named `name`.
    public static func named(_ name: String) -> JobPreset? { all.first { $0.name == name } }

    private static func cnn(_ layers: [LayerSpec], epochs: Int, batch: Int, learningRate: Double) -> JobConfig {
        var config = JobConfig()
        config.model.layers = layers
        config.training.optimizer = .adam
        config.training.learningRate = learningRate
        config.training.batchSize = batch
        config.training.epochs = epochs
        config.training.normalize = .standardize
        return config
    }
}
