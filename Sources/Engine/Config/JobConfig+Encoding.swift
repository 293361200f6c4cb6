// The full config with every default filled in, as a JSON object (for `GET /jobs/{id}` and job files).
import Foundation

extension JobConfig {
    /// A JSONSerialization-ready object of every field. `loss` is written resolved (never null);
    /// `iterations`, `name` and `from_model` are null when not given.
    public func jsonObject() -> [String: Any] {
        [
            "name": name as Any? ?? NSNull(),
            "dataset": dataset,
            "model": model.jsonObject(),
            "training": training.jsonObject(),
        ]
    }

    /// The object serialised with sorted keys.
    public func jsonData() -> Data {
        // Every value is a string, number, bool, null, array or object, so serialisation cannot fail.
        (try? JSONSerialization.data(withJSONObject: jsonObject(), options: [.sortedKeys])) ?? Data()
    }
}

extension ModelConfig {
    public func jsonObject() -> [String: Any] {
        [
            "hidden": hidden,
            "activation": activation.rawValue,
            "leaky_slope": leakySlope,
            "init": initializer.rawValue,
            "init_std": initStd,
            "init_range": initRange,
            "output": output.rawValue,
            "loss": resolvedLoss.rawValue,
            "from_model": fromModel as Any? ?? NSNull(),
        ]
    }
}

extension TrainingConfig {
    public func jsonObject() -> [String: Any] {
        [
            "epochs": epochs,
            "iterations": iterations as Any? ?? NSNull(),
            "batch_size": batchSize,
            "optimizer": optimizer.rawValue,
            "learning_rate": learningRate,
            "momentum": momentum,
            "weight_decay": weightDecay,
            "shuffle": shuffle,
            "seed": seed,
            "normalize": normalize.rawValue,
            "eval_every": evalEvery,
        ]
    }
}
