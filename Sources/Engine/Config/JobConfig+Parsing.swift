// Parsing a job config from JSON: every field type- and range-checked, unknown fields rejected by name.
import Foundation

extension JobConfig {
    static let topFields = ["name", "dataset", "model", "training"]
    static let modelFields = ["hidden", "activation", "leaky_slope", "init", "init_std", "init_range", "output",
                              "loss", "from_model"]
    static let trainingFields = ["epochs", "iterations", "batch_size", "optimizer", "learning_rate", "momentum",
                                 "weight_decay", "shuffle", "seed", "normalize", "eval_every"]

    /// Parses a config from a JSON body; absent (or null) fields keep their defaults.
    public static func parse(_ data: Data) throws -> JobConfig {
        let tree: Any
        do {
            tree = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            // Said of an HTTP body and of a --config file alike, so it names neither; the parser's reason has
            // the line and column.
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw ConfigError(field: "", message: "not valid JSON" + (reason.map { " (\($0))" } ?? ""))
        }
        return try JobConfig(json: tree)
    }

    /// Builds a config from a JSONSerialization tree (the service may embed configs in larger bodies).
    public init(json tree: Any) throws {
        self.init()
        let top = try JSONFields(tree, path: "")
        try top.rejectUnknown(JobConfig.topFields)
        name = try top.string("name")
        if let dataset = try top.string("dataset", maxLength: 64) {
            // The dataset names a directory under the data dir: no separators, no "..", no hidden names.
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_-."))
            guard !dataset.isEmpty, !dataset.hasPrefix("."), dataset.unicodeScalars.allSatisfy(allowed.contains),
                  dataset.allSatisfy(\.isASCII) else {
                throw ConfigError(field: "dataset", message: "must be a name of letters, digits, '_', '-' or '.'")
            }
            self.dataset = dataset
        }
        if let value = top.value("model") { model = try ModelConfig(json: value, path: "model") }
        if let value = top.value("training") { training = try TrainingConfig(json: value, path: "training") }
    }
}

extension ModelConfig {
    /// Parses the `model` object found at `path`.
    public init(json value: Any, path: String = "model") throws {
        self.init()
        let fields = try JSONFields(value, path: path)
        try fields.rejectUnknown(JobConfig.modelFields)
        if let array = try fields.array("hidden") {
            guard array.count <= 16 else {
                throw ConfigError(field: fields.field("hidden"), message: "at most 16 hidden layers, got \(array.count)")
            }
            hidden = try array.enumerated().map { index, item in
                let field = "\(fields.field("hidden"))[\(index)]"
                guard let number = item as? NSNumber, !JSONFields.isBoolean(number),
                      number.doubleValue.rounded() == number.doubleValue,
                      number.doubleValue >= 1, number.doubleValue <= 4096 else {
                    throw ConfigError(field: field, message: "must be an integer in 1...4096 (units of a hidden layer)")
                }
                return number.intValue
            }
        }
        activation = try fields.choice("activation", HiddenActivation.self) ?? activation
        leakySlope = try fields.double("leaky_slope", rule: "a finite number in 0...1", { $0 >= 0 && $0 <= 1 }) ?? leakySlope
        initializer = try fields.choice("init", InitKind.self) ?? initializer
        initStd = try fields.double("init_std", rule: "a finite number > 0", { $0 > 0 }) ?? initStd
        if let range = try fields.array("init_range") {
            let numbers = range.compactMap { ($0 as? NSNumber).flatMap { JSONFields.isBoolean($0) ? nil : $0.doubleValue } }
            guard range.count == 2, numbers.count == 2, numbers.allSatisfy(\.isFinite), numbers[0] < numbers[1] else {
                throw ConfigError(field: fields.field("init_range"), message: "must be [a, b] with finite a < b")
            }
            initRange = numbers
        }
        output = try fields.choice("output", OutputActivation.self) ?? output
        loss = try fields.choice("loss", LossFunction.self)
        fromModel = try fields.string("from_model")
    }
}

extension TrainingConfig {
    /// Parses the `training` object found at `path`.
    public init(json value: Any, path: String = "training") throws {
        self.init()
        let fields = try JSONFields(value, path: path)
        try fields.rejectUnknown(JobConfig.trainingFields)
        epochs = try fields.int("epochs", in: 1...1000) ?? epochs
        iterations = try fields.int("iterations", in: 1...10_000_000)
        batchSize = try fields.int("batch_size", in: 1...60000) ?? batchSize
        optimizer = try fields.choice("optimizer", OptimizerKind.self) ?? optimizer
        learningRate = try fields.double("learning_rate", rule: "a finite number > 0", { $0 > 0 }) ?? learningRate
        momentum = try fields.double("momentum", rule: "a number in [0, 1)", { $0 >= 0 && $0 < 1 }) ?? momentum
        weightDecay = try fields.double("weight_decay", rule: "a finite number ≥ 0", { $0 >= 0 }) ?? weightDecay
        shuffle = try fields.bool("shuffle") ?? shuffle
        // 2^53 - 1: the largest integer a JSON number carries exactly.
        seed = UInt64(try fields.int("seed", in: 0...9_007_199_254_740_991) ?? Int(seed))
        normalize = try fields.choice("normalize", InputNormalization.self) ?? normalize
        evalEvery = try fields.int("eval_every", in: 0...10_000_000) ?? evalEvery
    }
}
