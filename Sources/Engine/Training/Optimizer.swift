// Parameter updates with PyTorch's semantics: SGD, momentum (v = μv + g; p -= lr·v), Nesterov
// (v = μv + g; p -= lr·(g + μv)), Adam (bias-corrected) and AdamW (p -= lr·wd·p before Adam's step, which
// then sees no decay). Weight decay (L2 added to the gradient, or AdamW's decoupled shrink) reaches weights
// only — biases are not decayed (PyTorch decays whatever tensors it is given; we choose weights, the common
// setting). The learning rate is given per update, so a schedule needs no state here.
import Foundation

/// Which update rule.
public enum OptimizerKind: String, CaseIterable, Sendable {
    case sgd, momentum, nesterov, adam, adamw

    /// Moment buffers per parameter.
    public var slots: Int {
        switch self {
        case .sgd: 0
        case .momentum, .nesterov: 1
        case .adam, .adamw: 2
        }
    }
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
/// Large parameter sets are walked by several threads, each over its own range of the flat parameter vector
/// (elementwise: the same numbers for any split).
final class Optimizer<T: EngineScalar>: ParallelTask {
    let settings: OptimizerSettings
    /// Updates applied so far (Adam's t).
    private(set) var step = 0
    /// The learning rate of the last update (the settings' before any).
    private(set) var lastRate: Double
    /// Momentum's velocity or Adam's first moment; Adam's second moment after it. Same layout as parameters.
    let state: Matrix<T>
    /// Cores a walk may use (0 = the shared pool's limit); walks of fewer than `parallelThreshold` parameters
    /// stay on the calling thread.
    var threads = 0
    static var parallelThreshold: Int { 1 << 15 }
    private let storage: Storage<T>
    private let parameterCount: Int
    /// The walk the pool is running: its network, step and mode, and per share the first non-finite tensor.
    private var walking: Network<T>?
    private var walkStep = 0
    private var walkRate = 0.0
    private var walkStores = false
    /// Written by the shares at their own index (raw memory: a Swift array written from several threads at
    /// once would be an exclusivity violation).
    private let shareResults: UnsafeMutablePointer<Int>

    init(settings: OptimizerSettings, parameterCount: Int) {
        self.settings = settings
        self.parameterCount = parameterCount
        lastRate = settings.learningRate
        storage = Storage(count: settings.kind.slots * parameterCount)
        state = storage.all
        shareResults = .allocate(capacity: ThreadPool.shared.cores)
    }

    deinit { shareResults.deallocate() }

    /// Restores the step count and moment buffers from a checkpoint.
    func restore(step: Int, state values: [T]) {
        precondition(values.count == state.count, "optimizer state has \(state.count) values, got \(values.count)")
        self.step = step
        state.assign(values)
    }

    /// p -= update(g), tensor by tensor, so weight decay can skip the biases; at `learningRate` (nil: the
    /// settings' rate).
    func update(_ network: Network<T>, learningRate: Double? = nil) {
        step += 1
        lastRate = learningRate ?? settings.learningRate
        _ = walk(network, step: step, rate: lastRate, store: true)
    }

    /// The first layer whose next update would make a parameter or moment NaN or infinite, or nil: every new
    /// value is computed and checked but none is stored, so a step can refuse the update and leave the network
    /// as it was. A non-finite gradient always shows here (it makes its parameter's new value non-finite), and
    /// so does a finite gradient that overflows once scaled by a huge learning rate.
    func firstNonFiniteUpdateLayer(_ network: Network<T>, learningRate: Double? = nil) -> Int? {
        walk(network, step: step + 1, rate: learningRate ?? settings.learningRate, store: false).map { $0 / 2 }
    }

    /// Computes update number `step` of every parameter; stores it when `store`. Returns the first tensor (in
    /// `parameterTensors` order) with a non-finite new value, or nil.
    private func walk(_ network: Network<T>, step: Int, rate: Double, store: Bool) -> Int? {
        let pool = ThreadPool.shared
        let cores = threads > 0 ? min(threads, pool.maxThreads) : pool.maxThreads
        guard cores > 1 && parameterCount >= Self.parallelThreshold else {
            return walk(network, step: step, rate: rate, store: store, range: 0..<parameterCount)
        }
        walking = network
        walkStep = step
        walkRate = rate
        walkStores = store
        defer { walking = nil }
        var shares = 0
        pool.parallelRegion(threads: cores, chunkCount: { shares = $0; return $0 }, task: self)
        var first = Int.max
        for share in 0..<shares { first = min(first, shareResults[share]) }
        return first == Int.max ? nil : first
    }

    func run(chunk: Int, of count: Int) {
        let range = parameterCount * chunk / count..<parameterCount * (chunk + 1) / count
        shareResults[chunk] = walk(walking.unsafelyUnwrapped, step: walkStep, rate: walkRate, store: walkStores, range: range) ?? Int.max
    }

    /// The walk over the flat parameters `range`, tensor piece by tensor piece. Specialized for Float: the pool
    /// calls `run` through the ParallelTask protocol, where T is not known statically.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    private func walk(_ network: Network<T>, step: Int, rate: Double, store: Bool, range: Range<Int>) -> Int? {
        let s = settings
        let lr = T(rate), mu = T(s.momentum)
        let b1 = T(s.beta1), b2 = T(s.beta2), eps = T(s.epsilon)
        let stepSize = T(rate / (1 - pow(s.beta1, Double(step))))
        let correction2 = T((1 - pow(s.beta2, Double(step))).squareRoot())
        var start = 0
        var firstNonFinite: Int?
        for (index, tensor) in network.parameterTensors.enumerated() {
            let tensorRange = start..<start + tensor.value.count
            start = tensorRange.upperBound
            let piece = tensorRange.clamped(to: range)
            guard !piece.isEmpty else { continue }
            let wd = index % 2 == 0 ? T(s.weightDecay) : 0
            let offset = piece.lowerBound, count = piece.count
            let p = tensor.value.view(offset: offset - tensorRange.lowerBound, rows: 1, columns: count)
            let g = tensor.gradient.view(offset: offset - tensorRange.lowerBound, rows: 1, columns: count)
            let slots = s.kind.slots
            let first = state.view(offset: slots > 0 ? offset : 0, rows: 1, columns: slots > 0 ? count : 0)
            let second = state.view(offset: slots > 1 ? parameterCount + offset : 0, rows: 1, columns: slots > 1 ? count : 0)
            let finite: Bool
            switch s.kind {
            case .sgd:
                finite = Elementwise.update(p, g, store: store) { p, g in
                    p -= lr * (g + wd * p)
                }
            case .momentum:
                finite = Elementwise.update(p, g, first, store: store) { p, g, v in
                    v = mu * v + (g + wd * p)
                    p -= lr * v
                }
            case .nesterov:
                finite = Elementwise.update(p, g, first, store: store) { p, g, v in
                    let d = g + wd * p
                    v = mu * v + d
                    p -= lr * (d + mu * v)
                }
            case .adam:
                finite = Elementwise.update(p, g, first, second, store: store) { p, g, m, v in
                    let d = g + wd * p
                    m = b1 * m + (1 - b1) * d
                    v = b2 * v + (1 - b2) * d * d
                    p -= stepSize * m / (T.sqrt(v) / correction2 + eps)
                }
            case .adamw:
                let shrink = 1 - lr * wd
                finite = Elementwise.update(p, g, first, second, store: store) { p, g, m, v in
                    p *= shrink
                    m = b1 * m + (1 - b1) * g
                    v = b2 * v + (1 - b2) * g * g
                    p -= stepSize * m / (T.sqrt(v) / correction2 + eps)
                }
            }
            if !finite && firstNonFinite == nil { firstNonFinite = index }
        }
        return firstNonFinite
    }
}

extension Optimizer: @unchecked Sendable {}
