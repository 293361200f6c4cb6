// The object-valued fields of `training`: lr_schedule, early_stopping and augment, each described once
// (ConfigObjectShape) with its conversion to and from the engine's settings type.

extension LearningRateSchedule {
    static let shape = ConfigObjectShape("schedule", kinds: [
        ConfigObjectKind("step", "learning_rate × gamma every step_epochs epochs (PyTorch's StepLR, stepped per epoch).", [
            LayerField("step_epochs", .integer(1...1000), "Epochs between decays."),
            LayerField("gamma", .number(.range(0, 1, excludingHigh: false)), default: .number(0.1), "The factor at each decay."),
        ]),
        ConfigObjectKind("cosine", "From learning_rate down to min_lr along half a cosine over the run (CosineAnnealingLR, T_max = the run's iterations).", [
            LayerField("min_lr", .number(.nonNegative), default: .number(0), "The rate at the run's end."),
        ]),
        ConfigObjectKind("exponential", "learning_rate × gamma^epoch (PyTorch's ExponentialLR, stepped per epoch).", [
            LayerField("gamma", .number(.range(0, 1, excludingHigh: false)), "The factor per epoch."),
        ]),
        ConfigObjectKind("one_cycle", "Up from max_lr/25 to max_lr over the first 30% of the run, then down to max_lr/250,000, both along a cosine (PyTorch's OneCycleLR defaults, momentum not cycled); learning_rate is not used.", [
            LayerField("max_lr", .number(.positive), "The peak rate."),
        ]),
    ], common: [
        LayerField("warmup_iterations", .integer(0...10_000_000), default: .int(0),
                   "Iterations at the start whose rate ramps linearly up to the schedule's: iteration i gets i/warmup of it."),
    ])

    init(values: [String: ConfigValue]) {
        let warmup = values["warmup_iterations"]?.intValue ?? 0
        switch values["type"] {
        case .string("step"): self.init(.step(epochs: values["step_epochs"]!.intValue!, gamma: values["gamma"]!.doubleValue!), warmupIterations: warmup)
        case .string("cosine"): self.init(.cosine(minimum: values["min_lr"]!.doubleValue!), warmupIterations: warmup)
        case .string("exponential"): self.init(.exponential(gamma: values["gamma"]!.doubleValue!), warmupIterations: warmup)
        default: self.init(.oneCycle(maximum: values["max_lr"]!.doubleValue!), warmupIterations: warmup)
        }
    }

    var values: [String: ConfigValue] {
        var values: [String: ConfigValue] = ["warmup_iterations": .int(warmupIterations)]
        switch kind {
        case let .step(epochs, gamma): values.merge(["type": .string("step"), "step_epochs": .int(epochs), "gamma": .number(gamma)]) { $1 }
        case .cosine(let minimum): values.merge(["type": .string("cosine"), "min_lr": .number(minimum)]) { $1 }
        case .exponential(let gamma): values.merge(["type": .string("exponential"), "gamma": .number(gamma)]) { $1 }
        case .oneCycle(let maximum): values.merge(["type": .string("one_cycle"), "max_lr": .number(maximum)]) { $1 }
        }
        return values
    }
}

extension EarlyStoppingSettings {
    static let shape = ConfigObjectShape("early stopping", kinds: [
        ConfigObjectKind(nil, "Stop when a validation metric stops improving (needs validation_split > 0).", [
            LayerField("metric", .choice(Metric.allCases.map(\.rawValue)), default: .string(Metric.validation_loss.rawValue),
                       "What is watched, at each evaluation."),
            LayerField("patience", .integer(0...1000), default: .int(3),
                       "Evaluations in a row without a gain after which the run stops (Keras's patience)."),
            LayerField("min_delta", .number(.nonNegative), default: .number(0),
                       "How much better than the best a value must be to count as a gain."),
            LayerField("restore_best", .boolean, default: .bool(true),
                       "End on the best evaluation's weights (the model and the final test metrics are theirs)."),
        ]),
    ])

    init(values: [String: ConfigValue]) {
        self.init()
        if case .string(let name)? = values["metric"], let metric = Metric(rawValue: name) { self.metric = metric }
        patience = values["patience"]?.intValue ?? patience
        minDelta = values["min_delta"]?.doubleValue ?? minDelta
        if case .bool(let flag)? = values["restore_best"] { restoreBest = flag }
    }

    var values: [String: ConfigValue] {
        ["metric": .string(metric.rawValue), "patience": .int(patience), "min_delta": .number(minDelta),
         "restore_best": .bool(restoreBest)]
    }
}

extension AugmentSettings {
    static let shape = ConfigObjectShape("augmentation", kinds: [
        ConfigObjectKind(nil, "A random affine per training sample per step, drawn uniformly from ± each range, bilinear; evaluation and prediction see the images as they are.", [
            LayerField("shift", .number(.range(0, 14)), default: .number(0), "Largest shift along each axis, in pixels."),
            LayerField("rotate", .number(.range(0, 180)), default: .number(0), "Largest rotation either way, in degrees."),
            LayerField("scale", .number(.range(0, 0.5)), default: .number(0), "Largest change of size: the scale is drawn from [1 − scale, 1 + scale]."),
        ]),
    ])

    init(values: [String: ConfigValue]) {
        self.init(shift: values["shift"]?.doubleValue ?? 0, rotate: values["rotate"]?.doubleValue ?? 0,
                  scale: values["scale"]?.doubleValue ?? 0)
    }

    var values: [String: ConfigValue] { ["shift": .number(shift), "rotate": .number(rotate), "scale": .number(scale)] }
}

extension ConfigValue {
    var intValue: Int? { if case .int(let value) = self { value } else { nil } }
    var doubleValue: Double? {
        switch self {
        case .number(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }
}

extension ConfigField {
    /// A nullable object field over `keyPath`, converted through `make` and `values`.
    static func object<V>(_ path: String, _ shape: ConfigObjectShape, _ label: String, _ help: String,
                          _ keyPath: WritableKeyPath<JobConfig, V?>, make: @escaping ([String: ConfigValue]) -> V,
                          values: @escaping (V) -> [String: ConfigValue]) -> ConfigField {
        ConfigField(path: path, type: .object(shape), nullable: true, label: label, help: help,
                    extract: { $0[keyPath: keyPath].map { .object(values($0)) } ?? .null },
                    store: { config, value in
                        if case .object(let read) = value { config[keyPath: keyPath] = make(read) } else { config[keyPath: keyPath] = nil }
                    })
    }
}
