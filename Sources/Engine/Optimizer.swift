// Parameter updates with PyTorch's semantics: SGD, momentum (v = μv + g; p -= lr·v) and Adam
// (β 0.9/0.999, eps 1e-8, bias-corrected). Weight decay adds wd·p to the gradient of weights only —
// biases are not decayed (PyTorch decays whatever tensors it is given; we choose weights, the common setting).
import Foundation

/// Which update rule.
public enum OptimizerKind: String, CaseIterable, Sendable {
    case sgd, momentum, adam
}

/// An update rule and its hyperparameters.
public struct OptimizerSettings: Equatable, Sendable {
    public var kind: OptimizerKind
    public var learningRate: Double
    public var momentum: Double
    public var weightDecay: Double
    public var beta1 = 0.9
    public var beta2 = 0.999
    public var epsilon = 1e-8

    public init(kind: OptimizerKind, learningRate: Double, momentum: Double = 0.9, weightDecay: Double = 0) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }
}

/// Applies one update per call to a network's parameters from its gradients; owns the moment buffers.
final class Optimizer<T: EngineScalar> {
    let settings: OptimizerSettings
    /// Updates applied so far (Adam's t).
    private(set) var step = 0
    /// Momentum's velocity or Adam's first moment; Adam's second moment after it. Same layout as parameters.
    let state: Matrix<T>
    private let storage: Storage<T>
    private let parameterCount: Int

    init(settings: OptimizerSettings, parameterCount: Int) {
        self.settings = settings
        self.parameterCount = parameterCount
        let slots = settings.kind == .adam ? 2 : settings.kind == .momentum ? 1 : 0
        storage = Storage(count: slots * parameterCount)
        state = storage.all
    }

    /// Restores the step count and moment buffers from a checkpoint.
    func restore(step: Int, state values: [T]) {
        precondition(values.count == state.count, "optimizer state has \(state.count) values, got \(values.count)")
        self.step = step
        state.assign(values)
    }

    /// p -= update(g), tensor by tensor, so weight decay can skip the biases.
    func update(_ network: Network<T>) {
        step += 1
        _ = walk(network, step: step, store: true)
    }

    /// The first layer whose next update would make a parameter or moment NaN or infinite, or nil: every new
    /// value is computed and checked but none is stored, so a step can refuse the update and leave the network
    /// as it was. A non-finite gradient always shows here (it makes its parameter's new value non-finite), and
    /// so does a finite gradient that overflows once scaled by a huge learning rate.
    func firstNonFiniteUpdateLayer(_ network: Network<T>) -> Int? {
        walk(network, step: step + 1, store: false).map { $0 / 2 }
    }

    /// Computes update number `step` of every tensor; stores it when `store`. Returns the first tensor (in
    /// `parameterTensors` order) with a non-finite new value, or nil.
    private func walk(_ network: Network<T>, step: Int, store: Bool) -> Int? {
        let s = settings
        let lr = T(s.learningRate), mu = T(s.momentum)
        let b1 = T(s.beta1), b2 = T(s.beta2), eps = T(s.epsilon)
        let stepSize = T(s.learningRate / (1 - pow(s.beta1, Double(step))))
        let correction2 = T((1 - pow(s.beta2, Double(step))).squareRoot())
        var offset = 0
        var firstNonFinite: Int?
        for (index, tensor) in network.parameterTensors.enumerated() {
            let wd = index % 2 == 0 ? T(s.weightDecay) : 0
            let count = tensor.value.count
            let first = state.view(offset: s.kind == .sgd ? 0 : offset, rows: 1, columns: s.kind == .sgd ? 0 : count)
            let second = state.view(offset: s.kind == .adam ? parameterCount + offset : 0,
                                    rows: 1, columns: s.kind == .adam ? count : 0)
            offset += count
            let finite: Bool
            switch s.kind {
            case .sgd:
                finite = Elementwise.update(tensor.value, tensor.gradient, store: store) { p, g in
                    p -= lr * (g + wd * p)
                }
            case .momentum:
                finite = Elementwise.update(tensor.value, tensor.gradient, first, store: store) { p, g, v in
                    v = mu * v + (g + wd * p)
                    p -= lr * v
                }
            case .adam:
                finite = Elementwise.update(tensor.value, tensor.gradient, first, second, store: store) { p, g, m, v in
                    let d = g + wd * p
                    m = b1 * m + (1 - b1) * d
                    v = b2 * v + (1 - b2) * d * d
                    p -= stepSize * m / (T.sqrt(v) / correction2 + eps)
                }
            }
            if !finite && firstNonFinite == nil { firstNonFinite = index }
        }
        return firstNonFinite
    }
}
