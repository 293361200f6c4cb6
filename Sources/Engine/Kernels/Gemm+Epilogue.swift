// What the gemm kernel applies to each result tile while it is still in registers: bias, activation, and the
// activation-gradient gate of backprop. Fusing these saves a full pass over C per layer.

extension Gemm {
    /// The activations the kernel can apply in its epilogue (those that need no transcendental functions).
    public enum Activation: Equatable, Sendable {
        case identity
        case relu
        /// `x > 0 ? x : slope · x`.
        case leakyRelu(slope: Float)
    }

    /// Applied per element after `alpha · op(A)·op(B) + beta · C`, in this order:
    /// `+ bias[j]`, then `activation`, then `× activation'(gate[i, j])` when a gate is given.
    public struct Epilogue {
        /// Length-n row vector added to every row of C (a dense layer's bias), or nil.
        public var bias: UnsafePointer<Float>?
        /// Applied after the bias.
        public var activation: Activation
        /// m×n matrix (row stride `ldGate`) of pre- or post-activation values of `gateActivation`: each result
        /// is multiplied by that activation's derivative there (1 or 0 for relu, 1 or slope for leaky relu).
        public var gate: UnsafePointer<Float>?
        public var ldGate: Int
        public var gateActivation: Activation

        public init(bias: UnsafePointer<Float>? = nil, activation: Activation = .identity) {
            self.bias = bias
            self.activation = activation
            self.gate = nil
            self.ldGate = 0
            self.gateActivation = .identity
        }

        /// No epilogue: plain sgemm.
        public static var none: Epilogue { Epilogue() }

        /// Backprop through `activation`: `dX = (dY · Wᵀ) ⊙ activation'(z)`, with z (or the activation's
        /// output, which has the same sign) given as an m×n matrix of row stride `ld`.
        public static func activationGradient(_ activation: Activation, of z: UnsafePointer<Float>, ld: Int) -> Epilogue {
            var epilogue = Epilogue()
            epilogue.gate = z
            epilogue.ldGate = ld
            epilogue.gateActivation = activation
            return epilogue
        }

        /// True when the epilogue does nothing beyond alpha/beta.
        var isTrivial: Bool {
            bias == nil && activation == .identity && (gate == nil || gateActivation == .identity)
        }

        /// The epilogue for one element at row `i`, column `j` (scalar path and reference).
        @inline(__always)
        func apply(_ value: Float, row i: Int, column j: Int) -> Float {
            var v = value
            if let bias { v += bias[j] }
            switch activation {
            case .identity: break
            case .relu: v = v > 0 ? v : 0
            case .leakyRelu(let slope): v = v > 0 ? v : slope * v
            }
            if let gate {
                let z = gate[i * ldGate + j]
                switch gateActivation {
                case .identity: break
                case .relu: v = z > 0 ? v : 0
                case .leakyRelu(let slope): v = z > 0 ? v : slope * v
                }
            }
            return v
        }
    }
}
