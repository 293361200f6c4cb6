// Elementwise activations: each forward rule sits beside its derivative. The derivative takes both the
// pre-activation z and the output a = f(z), so sigmoid and tanh reuse a instead of recomputing exp.

/// An elementwise activation of a hidden (or relu/linear/sigmoid output) layer.
public enum Activation: Equatable, Sendable {
    case relu
    case leakyRelu(slope: Double)
    case sigmoid
    case tanh
    case softplus
    case linear

    /// a = f(z).
    @inline(__always) func value<T: EngineScalar>(_ z: T) -> T {
        switch self {
        case .relu: return z > 0 ? z : 0
        case .leakyRelu(let slope): return z > 0 ? z : T(slope) * z
        case .sigmoid: return Activation.sigmoid(z)
        case .tanh: return T.tanh(z)
        // softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^-|z|): never overflows.
        case .softplus: return max(z, 0) + T.log1p(T.exp(-abs(z)))
        case .linear: return z
        }
    }

    /// f'(z), given z and a = f(z). ReLU's derivative at exactly 0 is taken as 0, as PyTorch does.
    @inline(__always) func derivative<T: EngineScalar>(_ z: T, _ a: T) -> T {
        switch self {
        case .relu: return z > 0 ? 1 : 0
        case .leakyRelu(let slope): return z > 0 ? 1 : T(slope)
        case .sigmoid: return a * (1 - a)
        case .tanh: return 1 - a * a
        case .softplus: return Activation.sigmoid(z)
        case .linear: return 1
        }
    }

    /// The same activation as the gemm applies it in its write-back, when it can: relu, and leaky relu with a
    /// slope ≥ 0 (whose output has the sign of its input, so backprop can gate on the output instead of z).
    var gemmForm: Gemm.Activation? {
        switch self {
        case .relu: return .relu
        case .leakyRelu(let slope) where slope >= 0: return .leakyRelu(slope: Float(slope))
        default: return nil
        }
    }

    /// True for activations with a kink at 0 (gradient checks skip coordinates that cross it).
    var hasKink: Bool {
        switch self {
        case .relu, .leakyRelu: return true
        default: return false
        }
    }

    /// The name used in configs and exported models.
    public var name: String {
        switch self {
        case .relu: return "relu"
        case .leakyRelu: return "leaky_relu"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .softplus: return "softplus"
        case .linear: return "linear"
        }
    }

    /// Numerically stable logistic function: exp of a non-positive number only.
    @inline(__always) static func sigmoid<T: EngineScalar>(_ z: T) -> T {
        if z >= 0 { return 1 / (1 + T.exp(-z)) }
        let e = T.exp(z)
        return e / (1 + e)
    }
}
