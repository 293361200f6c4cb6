// The monitor's detectors: each reads one symptom off the diagnostics and names the config change that
// cures it. Thresholds are the static constants below; docs/diagnostics.md explains each warning.
import Foundation

extension TrainingMonitor {
    /// dead_relu: more than this share of a ReLU layer's units output ≤ 0 for the whole batch.
    public static let deadFractionLimit = 0.5
    /// only_biases_learning: the weights' update ratio is at least this many times below the biases'...
    public static let biasOnlyFactor = 100.0
    /// ...in this many consecutive observations...
    public static let biasOnlyObservations = 3
    /// ...taken from this iteration on. Biases start at 0, so ‖Δb‖/‖b‖ starts at 1 and only settles after
    /// ~100 steps: a healthy He/ReLU net (SGD 0.01) shows 1000× at step 1, 128× at 50, under 50× from 100 on.
    public static let biasOnlyWarmup = 100
    /// vanishing_activations: hidden activation std shrinks by at least this factor per layer (geometric mean)...
    public static let vanishingFactorPerLayer = 4.0
    /// saturated_activations: more than this share of a sigmoid/tanh layer's activations sit at an asymptote.
    public static let saturatedFractionLimit = 0.5
    /// loss_plateau: after this many iterations the loss is still within `plateauTolerance` of ln(classes).
    public static let plateauIterations = 500
    public static let plateauTolerance = 0.05

    func deadUnits(_ layers: [LayerStatistics], iteration: Int) -> [TrainingWarning] {
        layers.enumerated().compactMap { position, layer in
            guard let dead = layer.deadFraction, dead > TrainingMonitor.deadFractionLimit else { return nil }
            // A layer fed by a dead layer sees zeros and dies with it: name only the first of a dead run.
            if position > 0, let before = layers[position - 1].deadFraction, before > TrainingMonitor.deadFractionLimit {
                return nil
            }
            let lr = config.training.learningRate
            return TrainingWarning(code: "dead_relu", message:
                "layer \(layer.index): \(percent(dead)) of its \(layer.units) \(layer.activation) units output 0 for "
                + "every sample of the batch, so they get no gradient and cannot recover (the layers after it see "
                + "less signal too). Lower training.learning_rate from \(lr) to \(lr / 10), start from model.init "
                + "\"he\" with zero biases (an imported model's biases may be too negative), or use "
                + "model.activation \"leaky_relu\".",
                layer: layer.index, iteration: iteration)
        }
    }

    func onlyBiasesLearning(_ hidden: [LayerStatistics], iteration: Int) -> [TrainingWarning] {
        hidden.compactMap { layer in
            // Saturated sigmoid/tanh weights also move little relative to their (huge) norm; that has its own warning.
            let saturated = (layer.saturatedFraction ?? 0) > TrainingMonitor.saturatedFractionLimit
            let slow = layer.updateRatioWeights * TrainingMonitor.biasOnlyFactor <= layer.updateRatioBiases
                && layer.updateRatioBiases > 0 && !saturated && iteration >= TrainingMonitor.biasOnlyWarmup
            let streak = slow ? biasOnlyStreak[layer.index, default: 0] + 1 : 0
            biasOnlyStreak[layer.index] = streak
            guard streak >= TrainingMonitor.biasOnlyObservations else { return nil }
            let factor = layer.updateRatioBiases / max(layer.updateRatioWeights, 1e-300)
            return TrainingWarning(code: "only_biases_learning", message:
                "layer \(layer.index): its weights move \(short(layer.updateRatioWeights)) of their norm per step, its "
                + "biases \(short(layer.updateRatioBiases)) (\(short(factor))× more) over the last "
                + "\(streak) checks: the network learns only its biases and ignores the pixels, because "
                + "the weights are too small to carry a signal. \(initAdvice) For a ReLU net model.init "
                + "\"uniform\" with init_range [-0.5, 0.5] also works.",
                layer: layer.index, iteration: iteration)
        }
    }

    func vanishingActivations(_ hidden: [LayerStatistics], iteration: Int) -> [TrainingWarning] {
        guard hidden.count >= 2, let first = hidden.first, let last = hidden.last else { return [] }
        // Dead units also flatten what follows them; dead_relu names that cause.
        guard !hidden.contains(where: { ($0.deadFraction ?? 0) > TrainingMonitor.deadFractionLimit }) else { return [] }
        let steps = Double(hidden.count - 1)
        let shrink = Foundation.pow(first.activationStd / max(last.activationStd, 1e-300), 1 / steps)
        guard shrink >= TrainingMonitor.vanishingFactorPerLayer else { return [] }
        let stds = hidden.map { short($0.activationStd) }.joined(separator: ", ")
        return [TrainingWarning(code: "vanishing_activations", message:
            "activation std falls layer by layer (\(stds)), \(short(shrink))× per layer: the deep layers see almost "
            + "no signal and their gradients vanish. \(initAdvice)",
            layer: last.index, iteration: iteration)]
    }

    func saturatedActivations(_ hidden: [LayerStatistics], iteration: Int) -> [TrainingWarning] {
        hidden.compactMap { layer in
            guard let saturated = layer.saturatedFraction, saturated > TrainingMonitor.saturatedFractionLimit else {
                return nil
            }
            return TrainingWarning(code: "saturated_activations", message:
                "layer \(layer.index): \(percent(saturated)) of its \(layer.activation) activations sit within 0.02 of "
                + "an asymptote, where the derivative is almost 0 and learning stalls. The pre-activations are too "
                + "large (\(initDescription)): use model.init \"xavier\" (std √(1/fan_in)), or lower "
                + "training.learning_rate from \(config.training.learningRate) to \(config.training.learningRate / 10).",
                layer: layer.index, iteration: iteration)
        }
    }

    func lossPlateau(_ loss: Double, classes: Int, iteration: Int) -> [TrainingWarning] {
        let model = config.model
        guard model.resolvedLoss == .crossEntropy, model.output != .sigmoid, classes > 1,
              iteration >= TrainingMonitor.plateauIterations else { return [] }
        let chance = Foundation.log(Double(classes))
        guard abs(loss - chance) < TrainingMonitor.plateauTolerance else { return [] }
        return [TrainingWarning(code: "loss_plateau", message:
            "after \(iteration) iterations the loss is \(short(loss)) ≈ ln(\(classes)) = \(short(chance)), chance "
            + "level: the network predicts the class frequencies and nothing else. See the layer warnings; usually "
            + "the fix is \(recommendedInit) (instead of \(initDescription)) or a larger training.learning_rate "
            + "(now \(config.training.learningRate)).",
            layer: nil, iteration: iteration)]
    }

    /// The configured initialiser in config terms.
    var initDescription: String {
        let model = config.model
        switch model.initializer {
        case .normal: return "model.init \"normal\" with init_std \(model.initStd)"
        case .uniform: return "model.init \"uniform\" with init_range \(model.initRange)"
        case .he, .xavier: return "model.init \"\(model.initializer.rawValue)\""
        }
    }

    /// What to change about the initialiser: the suitable one, or (when it is already in use) what else shrinks weights.
    var initAdvice: String {
        if config.model.initializer == suitableInit {
            let lr = config.training.learningRate
            return "The init is already \(recommendedInit); an imported model (model.from_model) or weight decay "
                + "(training.weight_decay \(config.training.weightDecay)) may have shrunk the weights, or "
                + "training.learning_rate \(lr) is too large: try \(lr / 10)."
        }
        return "Replace \(initDescription) with \(recommendedInit)."
    }

    /// He for the ReLU family, Xavier for the rest.
    var suitableInit: InitKind {
        config.model.activation == .relu || config.model.activation == .leaky_relu ? .he : .xavier
    }

    /// The initialiser that suits the hidden activation: He for the ReLU family, Xavier otherwise.
    var recommendedInit: String {
        switch config.model.activation {
        case .relu, .leaky_relu: return "model.init \"he\" (normal, std √(2/fan_in))"
        case .sigmoid, .tanh, .softplus: return "model.init \"xavier\" (normal, std √(1/fan_in))"
        }
    }
}

/// 0.734 → "73%".
private func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }

/// A number in 3 significant digits (1.23e-05, 0.0412, 41.2).
private func short(_ x: Double) -> String { String(format: "%.3g", x) }
