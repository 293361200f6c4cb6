// Warnings for configs the seeds show to be broken but that are still allowed to run.

/// One lint finding: a stable code and a sentence for people.
public struct ConfigWarning: Equatable, Sendable {
    public let code: String
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// `{"code", "message"}` for JSON bodies.
    public var jsonObject: [String: Any] { ["code": code, "message": message] }
}

extension JobConfig {
    /// What the seeds say about this config: ReLU/linear outputs under cross-entropy (seed 002), He init
    /// with sigmoid/tanh and tiny normal inits in deep ReLU stacks (seeds 000 and 004).
    public func warnings() -> [ConfigWarning] {
        var found: [ConfigWarning] = []
        if (model.output == .relu || model.output == .linear) && model.resolvedLoss == .crossEntropy {
            found.append(ConfigWarning(code: "output_loss_mismatch", message:
                "\(model.output.rawValue) outputs with cross_entropy: the outputs are log-softmaxed to make it defined; "
                + "softmax output (or mse loss) is the matching pair (seed 002)"))
        }
        if model.initializer == .he && (model.activation == .sigmoid || model.activation == .tanh) && !model.hidden.isEmpty {
            found.append(ConfigWarning(code: "init_activation_mismatch", message:
                "he init is derived for relu; xavier suits \(model.activation.rawValue) (seed 004)"))
        }
        let reluFamily = model.activation == .relu || model.activation == .leaky_relu
        if model.initializer == .normal && reluFamily && model.hidden.count >= 2 && model.initStd <= 0.01 {
            found.append(ConfigWarning(code: "init_too_small", message:
                "normal init with std \(model.initStd) shrinks activations about tenfold per relu layer over "
                + "\(model.hidden.count) hidden layers, so the network barely learns; use he (seeds 000, 004)"))
        }
        return found
    }
}
