// Warnings for configs known to train badly but that are still allowed to run, each naming the fix (docs/diagnostics.md).
// The init checks estimate how the signal's scale changes through the hidden layers before any training.
import Foundation

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
    /// The estimated activation scale after the last hidden layer below which `init_too_small` fires.
    public static let smallestSignalScale = 1e-2
    /// ...and above which `init_too_large` fires for ReLU-family layers.
    public static let largestSignalScale = 1e3
    /// A sigmoid/tanh layer whose weights are this many times the Xavier std saturates (`init_too_large`).
    public static let saturatingInitFactor = 10.0

    /// The config's known traps: output_loss_mismatch and relu_output (the output and the loss disagree),
    /// init_activation_mismatch, init_too_small and init_too_large (the init scales the signal away from 1 per
    /// layer), stride_skips_pixels and learning_rate_too_high; docs/diagnostics.md explains each. `inputs` is the
    /// first layer's fan-in (784 for MNIST).
    public func warnings(inputs: Int = 784) -> [ConfigWarning] {
        var found: [ConfigWarning] = []
        let output = model.output.rawValue, activation = model.activation.rawValue
        if (model.output == .relu || model.output == .linear) && model.resolvedLoss == .crossEntropy {
            found.append(ConfigWarning(code: "output_loss_mismatch", message:
                "model.output \"\(output)\" with loss cross_entropy: cross-entropy needs probabilities, which "
                + "these outputs are not (taking log of a ReLU output that is 0 is log(0)); mnistd applies "
                + "log-softmax to them so the loss stays finite, but " + (model.output == .relu
                    ? "a ReLU output cannot go below 0 and gets no gradient once its input is negative. "
                    : "that is softmax under another name. ")
                + "Use model.output \"softmax\" (loss cross_entropy) for classes, or loss \"mse\" "
                + "with model.output \"linear\" for regression."))
        }
        if model.output == .relu && model.resolvedLoss == .mse {
            found.append(ConfigWarning(code: "relu_output", message:
                "model.output \"relu\" with loss mse: an output unit whose pre-activation turns negative outputs 0, "
                + "gets zero gradient and stays stuck, so some runs never learn. Use model.output "
                + "\"linear\" for regression targets, or \"softmax\" with cross_entropy for classes."))
        }
        found += strideWarnings(inputs: inputs)
        found += learningRateWarnings()
        let depth = hiddenFanIns(inputs: inputs).count
        guard depth > 0 else { return found }
        let sigmoidLike = model.activation == .sigmoid || model.activation == .tanh
        if model.initializer == .he && sigmoidLike {
            found.append(ConfigWarning(code: "init_activation_mismatch", message:
                "model.init \"he\" (std √(2/fan_in)) is derived for relu; with \(activation) it starts the units "
                + "toward saturation. Use model.init \"xavier\" (std √(1/fan_in)) for sigmoid/tanh."))
        }
        let reluFamily = model.activation == .relu || model.activation == .leaky_relu
        if model.initializer == .xavier && reluFamily && depth >= 4 {
            let scale = signalScale(inputs: inputs)
            found.append(ConfigWarning(code: "init_activation_mismatch", message:
                "model.init \"xavier\" halves the activation variance at every \(activation) layer: after "
                + "\(depth) hidden layers the signal is about \(short(scale)) of its size at the input "
                + "and the deep layers learn slowly. Use model.init \"he\" (std √(2/fan_in)) for relu."))
        }
        guard model.initializer == .normal || model.initializer == .uniform else { return found }
        let scale = signalScale(inputs: inputs)
        let what = model.initializer == .normal
            ? "model.init \"normal\" with init_std \(model.initStd)"
            : "model.init \"uniform\" with init_range \(model.initRange) (std \(short(uniformStd)))"
        let suitable = reluFamily ? "model.init \"he\" (std √(2/fan_in), \(short(suitableStd(fanIn: inputs))) for "
            + "\(inputs) inputs) or uniform with init_range [-0.5, 0.5]"
            : "model.init \"xavier\" (std √(1/fan_in), \(short(suitableStd(fanIn: inputs))) for \(inputs) inputs)"
        if scale < JobConfig.smallestSignalScale {
            found.append(ConfigWarning(code: "init_too_small", message:
                "\(what) shrinks the signal at every layer: after \(depth) hidden \(activation) layers "
                + "the activations are about \(short(scale)) of the input's scale, so the gradients of the weights "
                + "vanish and the network learns only its biases. Use \(suitable)."))
        }
        let saturates = sigmoidLike && layerScales(inputs: inputs).contains { $0 >= JobConfig.saturatingInitFactor }
        if saturates || (reluFamily && scale > JobConfig.largestSignalScale) {
            found.append(ConfigWarning(code: "init_too_large", message:
                "\(what) is too large for \(activation): the activations grow to about \(short(scale)) of the "
                + "input's scale" + (saturates ? ", so the units saturate and their gradients vanish" : " and training may diverge")
                + ". Use \(suitable)."))
        }
        return found
    }

    /// The estimated scale of the activations after the last hidden layer relative to the input's:
    /// Π_l std_l / suitable_std_l, where the suitable std (He for the ReLU family, Xavier otherwise) is the
    /// one that keeps the scale level. std = 0.01 with ReLU over 784-100-100-100-100 gives 7e-5.
    public func signalScale(inputs: Int = 784) -> Double {
        layerScales(inputs: inputs).reduce(1, *)
    }

    /// Per hidden layer: the configured weight std over the suitable one.
    func layerScales(inputs: Int) -> [Double] {
        hiddenFanIns(inputs: inputs).map { fanIn in
            let std: Double
            switch model.initializer {
            case .normal: std = model.initStd
            case .uniform: std = uniformStd
            case .he: std = (2 / Double(fanIn)).squareRoot()
            case .xavier: std = (1 / Double(fanIn)).squareRoot()
            }
            return std / suitableStd(fanIn: fanIn)
        }
    }

    /// An SGD step's effective rate (momentum m multiplies a steady gradient's step by 1/(1−m)) at or above which
    /// `learning_rate_too_high` fires: the default 784-100-100-100-100 net diverged within 400 iterations at
    /// 2 (plain SGD) and 3 (0.3 with momentum 0.9), and trained at 1 (0.1 with momentum 0.9).
    public static let highestSGDRate = 2.0
    /// ...and Adam's rate, which bounds each weight's step: it diverged at 0.1 and trained at 0.01.
    public static let highestAdamRate = 0.1

    /// learning_rate_too_high: the peak rate (a one-cycle schedule's max_lr counts) is past what trains.
    func learningRateWarnings() -> [ConfigWarning] {
        var peak = training.learningRate
        if case .oneCycle(let maximum)? = training.lrSchedule?.kind { peak = max(peak, maximum) }
        let adaptive = training.optimizer == .adam || training.optimizer == .adamw
        let effective = adaptive || training.optimizer == .sgd ? peak : peak / max(1 - training.momentum, 1e-12)
        let limit = adaptive ? JobConfig.highestAdamRate : JobConfig.highestSGDRate
        guard effective >= limit else { return [] }
        let what = adaptive || training.optimizer == .sgd
            ? "training.learning_rate \(short(peak)) with \(training.optimizer.rawValue)"
            : "training.learning_rate \(short(peak)) with momentum \(short(training.momentum)) (an effective rate of \(short(effective)))"
        let typical = adaptive ? "0.001" : training.optimizer == .sgd ? "0.1" : "0.01 to 0.1"
        return [ConfigWarning(code: "learning_rate_too_high", message:
            "\(what) is at or past \(short(limit)), where a step overshoots so far that training diverges within a few "
            + "iterations. Rates near \(typical) train these networks.")]
    }

    /// stride_skips_pixels: a conv or pooling layer whose step is longer than its window never reads the rows or
    /// columns between windows, so what lies there cannot reach the loss.
    func strideWarnings(inputs: Int) -> [ConfigWarning] {
        guard let layers = model.layers, (try? model.networkSpec(inputs: inputs)) != nil else { return [] }
        var found: [ConfigWarning] = []
        for (index, layer) in layers.enumerated() {
            let window: Extent2D, stride: Extent2D
            switch layer {
            case .conv2d(let conv): (window, stride) = (conv.kernel, conv.stride)
            case .maxPool(let pool), .avgPool(let pool): (window, stride) = (pool.size, pool.stride)
            default: continue
            }
            guard stride.height > window.height || stride.width > window.width else { continue }
            let skipped = max(stride.height - window.height, stride.width - window.width)
            found.append(ConfigWarning(code: "stride_skips_pixels", message:
                "model.layers[\(index)] (\(layer.typeName) \(window.height)×\(window.width), stride \(stride.height)×\(stride.width)) "
                + "steps past its window: \(skipped) of every \(max(stride.height, stride.width)) rows or columns of its input are never "
                + "read, so nothing there reaches the loss. Use a stride no longer than the \(layer.typeName == "conv2d" ? "kernel" : "window"), "
                + "or a larger \(layer.typeName == "conv2d" ? "kernel" : "size")."))
        }
        return found
    }

    /// The fan-in of every hidden layer with weights: a dense layer's inputs, a conv layer's in_channels × kh × kw
    /// (what He and Xavier scale by). A `layers` config whose shapes do not fit has none (its 400 says why).
    func hiddenFanIns(inputs: Int) -> [Int] {
        guard model.layers != nil else { return [inputs] + model.hidden.dropLast() }
        guard let spec = try? model.networkSpec(inputs: inputs) else { return [] }
        return spec.plan.dropLast().compactMap { $0.weightShape?.columns }
    }

    /// The root mean square of uniform(a, b): √((b − a)²/12 + ((a + b)/2)²).
    var uniformStd: Double {
        let a = model.initRange[0], b = model.initRange[1]
        return ((b - a) * (b - a) / 12 + (a + b) * (a + b) / 4).squareRoot()
    }

    /// He's std for the ReLU family (leaky: √(2/((1 + slope²)·fan_in))), Xavier's for the rest.
    func suitableStd(fanIn: Int) -> Double {
        switch model.activation {
        case .relu: return (2 / Double(fanIn)).squareRoot()
        case .leaky_relu: return (2 / ((1 + model.leakySlope * model.leakySlope) * Double(fanIn))).squareRoot()
        case .sigmoid, .tanh, .softplus: return (1 / Double(fanIn)).squareRoot()
        }
    }
}

/// 3 significant digits.
private func short(_ x: Double) -> String { String(format: "%.3g", x) }
