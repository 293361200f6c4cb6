// Every field of a job config, in the order the README and the page's form list them. Adding a field is one
// entry here (and its property on the config): the parser, the encoder, the OpenAPI schema, the README's
// reference and the form follow.

extension JobConfig {
    /// The objects that hold fields, besides the top level.
    public static let sections = ["model", "training"]
    /// The longest `name` a config takes.
    public static let nameMaxLength = 200

    public static let fields: [ConfigField] = [
        ConfigField(path: "preset", type: .choice(JobPreset.all.map(\.name)), nullable: true, label: "Preset",
                    help: "A named config to start from (GET /presets); the body's other fields override it. null: the defaults.",
                    extract: { $0.preset.map(ConfigValue.string) ?? .null },
                    store: { config, value in if case .string(let name) = value { config.preset = name } else { config.preset = nil } }),
        .text("name", maxLength: nameMaxLength, "Name", "Shown in listings and on the page; null: the job id.", \.name),
        ConfigField(path: "dataset", type: .name(maxLength: 64), nullable: false, label: "Dataset",
                    help: "What to train on: a folder of the data directory (GET /datasets lists them).",
                    extract: { .string($0.dataset) }, store: { if case .string(let name) = $1 { $0.dataset = name } }),

        ConfigField(path: "model.hidden", type: .integers(items: 1...4096, maxCount: 16), nullable: false,
                    label: "Hidden layers", help: "Units of each hidden layer, input side first; [] for none.",
                    extract: { .integers($0.model.hidden) }, store: { if case .integers(let units) = $1 { $0.model.hidden = units } }),
        ConfigField(path: "model.layers", type: .layers(maxCount: 32), nullable: true, label: "Layers",
                    help: "The layers between the input image (1 × 28 × 28) and the output layer, in order: conv2d, maxpool, avgpool, dropout, flatten, dense (see the layer table); null: dense layers of model.hidden. Give layers or hidden, not both.",
                    extract: { $0.model.layers.map(ConfigValue.layers) ?? .null },
                    store: { config, value in
                        if case .layers(let layers) = value { config.model.layers = layers } else { config.model.layers = nil }
                    }),
        .choice("model.activation", "Activation", "The activation of every hidden layer that names none.", \.model.activation),
        .number("model.leaky_slope", .range(0, 1), "Leaky slope", "The slope of leaky_relu below 0.", \.model.leakySlope),
        .choice("model.init", "Init",
                "Weight initialisation: he (std √(2/fan_in)), xavier (std √(1/fan_in)), normal (init_std) or uniform (init_range); biases start at 0.",
                \.model.initializer),
        .number("model.init_std", .positive, "Init std", "The standard deviation of init normal.", \.model.initStd),
        ConfigField(path: "model.init_range", type: .interval, nullable: false, label: "Init range",
                    help: "The interval of init uniform, [low, high]; given in either order.",
                    extract: { .numbers($0.model.initRange) },
                    store: { if case .numbers(let ends) = $1 { $0.model.initRange = [ends.min()!, ends.max()!] } }),
        .choice("model.output", "Output", "The output layer's activation.", \.model.output),
        .choice("model.loss", "Loss", "The loss, a mean over the minibatch as in PyTorch; null: cross_entropy for softmax or sigmoid outputs, mse otherwise.",
                \.model.loss),
        .text("model.from_model", maxLength: 200, "Start from model",
              "A stored model's id whose weights the job starts from (same architecture); null: fresh weights.",
              \.model.fromModel),

        .integer("training.epochs", 1...1000, "Epochs", "Passes over the training set (an epoch is ⌈60000 / batch_size⌉ steps).", \.training.epochs),
        .integer("training.iterations", 1...10_000_000, "Iterations",
                 "Steps to train instead of epochs; null: use epochs.", \.training.iterations),
        .integer("training.batch_size", 1...60000, "Batch size", "Samples per step.", \.training.batchSize),
        .choice("training.optimizer", "Optimizer",
                "The update rule, with PyTorch's semantics: sgd, momentum and nesterov are SGD (nesterov=True for nesterov); adamw decays weights apart from the gradient.",
                \.training.optimizer),
        .number("training.learning_rate", .positive, "Learning rate", "The step size.",
                \.training.learningRate),
        .number("training.momentum", .range(0, 1, excludingHigh: true), "Momentum",
                "μ of momentum and nesterov (Adam's β1 is adam_betas[0]).", \.training.momentum),
        .number("training.weight_decay", .nonNegative, "Weight decay",
                "L2 on weights, not biases; with adamw the decoupled decay p −= lr·wd·p (PyTorch's AdamW default is 0.01).",
                \.training.weightDecay),
        ConfigField(path: "training.adam_betas", type: .pair(.range(0, 1, excludingHigh: true)), nullable: false, label: "Adam betas",
                    help: "β1 and β2 of adam and adamw: the decay of the gradient's running mean and of its square's.",
                    extract: { .numbers($0.training.adamBetas) }, store: { if case .numbers(let betas) = $1 { $0.training.adamBetas = betas } }),
        .number("training.adam_epsilon", .positive, "Adam epsilon", "ε of adam and adamw, added to the root of the second moment.",
                \.training.adamEpsilon),
        .object("training.lr_schedule", LearningRateSchedule.shape, "LR schedule",
                "How the learning rate changes over the run: step, cosine, exponential or one_cycle, any with warmup_iterations (see the table below); null: constant.",
                \.training.lrSchedule, make: LearningRateSchedule.init(values:), values: \.values),
        .number("training.clip_grad_norm", .positive, "Clip grad norm",
                "Rescale the gradient to this L2 norm, over all parameters, when it is larger (PyTorch's clip_grad_norm_); null: no clipping.",
                \.training.clipGradNorm),
        .boolean("training.shuffle", "Shuffle", "Reshuffle the training set every epoch.", \.training.shuffle),
        ConfigField(path: "training.seed", type: .integer(0...9_007_199_254_740_991), nullable: false, label: "Seed",
                    help: "Weights and data order; the same seed gives the same bits on any core count.",
                    extract: { .int(Int($0.training.seed)) },
                    store: { if case .int(let seed) = $1 { $0.training.seed = UInt64(seed) } }),
        .choice("training.normalize", "Normalize", "Pixels as b/255 (unit), or (b/255 − 0.1307)/0.3081 (standardize).",
                \.training.normalize),
        .integer("training.eval_every", 0...10_000_000, "Eval every",
                 "Test-set evaluation every N steps; 0: at each epoch's end.", \.training.evalEvery),
        .number("training.validation_split", .range(0, 0.5), "Validation split",
                "The share of the training set held out (the same samples for a seed) and evaluated with the test set; decisions (early stopping) use it, never the test set.",
                \.training.validationSplit),
        .object("training.early_stopping", EarlyStoppingSettings.shape, "Early stopping",
                "Stop when a validation metric stops improving: metric, patience, min_delta, restore_best; needs validation_split > 0. null: train to the end.",
                \.training.earlyStopping, make: EarlyStoppingSettings.init(values:), values: \.values),
        .object("training.augment", AugmentSettings.shape, "Augment",
                "A random affine per training sample per step: shift (pixels), rotate (degrees), scale (fraction); null: none.",
                \.training.augment, make: AugmentSettings.init(values:), values: \.values),
    ]

    /// The field at a dotted path.
    public static func field(_ path: String) -> ConfigField? { fields.first { $0.path == path } }

    /// The fields of one section (nil: the top level), in order.
    public static func fields(in section: String?) -> [ConfigField] { fields.filter { $0.section == section } }

    /// The keys a job body may have at its top level: the top-level fields, then the sections.
    public static var topLevelKeys: [String] { fields(in: nil).map(\.key) + sections }
}
