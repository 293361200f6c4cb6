// Every layer of a network with its shapes worked out: what `NetworkSpec` derives from a list of LayerSpec
// by following the image through it. A shape that does not fit is a ConfigError naming the layer.

/// A convolution with its input and output shapes and its padding on each side.
public struct ConvGeometry: Equatable, Sendable {
    public let input: TensorShape
    public let output: TensorShape
    public let kernel: Extent2D
    public let stride: Extent2D
    /// Zero rows above and columns left of the input; `padBottom`/`padRight` may be one more ("same", even kernel).
    public let padTop: Int, padLeft: Int, padBottom: Int, padRight: Int

    /// Scalars of one patch: in_channels × kh × kw (also the fan-in of the initializers).
    public var patch: Int { input.channels * kernel.height * kernel.width }

    /// Where PyTorch's weight offset `k` within one filter ([in][kh][kw]) sits in the engine's filter row,
    /// which is ordered (kh, kw, in) like the patches it multiplies.
    public func engineOffset(pytorch k: Int) -> Int {
        let taps = kernel.height * kernel.width
        return (k % taps) * input.channels + k / taps
    }

    /// A weight tensor (filters × patch) in PyTorch's order, reordered into the engine's.
    public func engineOrder<T>(_ pytorch: [T]) -> [T] {
        var out = pytorch
        for f in 0..<(pytorch.count / patch) {
            for k in 0..<patch { out[f * patch + engineOffset(pytorch: k)] = pytorch[f * patch + k] }
        }
        return out
    }

    /// A weight tensor (filters × patch) in the engine's order, reordered into PyTorch's [out][in][kh][kw].
    public func pytorchOrder<T>(_ engine: [T]) -> [T] {
        var out = engine
        for f in 0..<(engine.count / patch) {
            for k in 0..<patch { out[f * patch + k] = engine[f * patch + engineOffset(pytorch: k)] }
        }
        return out
    }
}

/// A pooling window with its input and output shapes.
public struct PoolGeometry: Equatable, Sendable {
    public let input: TensorShape
    public let output: TensorShape
    public let size: Extent2D
    public let stride: Extent2D
}

/// One layer of a network, shapes resolved, activations resolved (nil spec activations take the model's).
public enum LayerPlan: Equatable, Sendable {
    case dense(inputs: Int, outputs: Int, activation: Activation)
    case conv2d(ConvGeometry, activation: Activation)
    case maxPool(PoolGeometry)
    case avgPool(PoolGeometry)
    case dropout(rate: Double, shape: TensorShape)
    case flatten(TensorShape)

    public var inputShape: TensorShape {
        switch self {
        case .dense(let inputs, _, _): return TensorShape(features: inputs)
        case .conv2d(let g, _): return g.input
        case .maxPool(let g), .avgPool(let g): return g.input
        case .dropout(_, let shape), .flatten(let shape): return shape
        }
    }

    public var outputShape: TensorShape {
        switch self {
        case .dense(_, let outputs, _): return TensorShape(features: outputs)
        case .conv2d(let g, _): return g.output
        case .maxPool(let g), .avgPool(let g): return g.output
        case .dropout(_, let shape): return shape
        case .flatten(let shape): return TensorShape(features: shape.count)
        }
    }

    /// The activation applied to this layer's output (nil: none, the layer is linear in its input).
    public var activation: Activation? {
        switch self {
        case .dense(_, _, let a), .conv2d(_, let a): return a
        default: return nil
        }
    }

    /// (rows, columns) of the weight matrix: (outputs, inputs) or (filters, in_channels·kh·kw); nil without weights.
    public var weightShape: (rows: Int, columns: Int)? {
        switch self {
        case .dense(let inputs, let outputs, _): return (outputs, inputs)
        case .conv2d(let g, _): return (g.output.channels, g.patch)
        default: return nil
        }
    }

    /// Weights and biases of this layer.
    public var parameterCount: Int { weightShape.map { $0.rows * $0.columns + $0.rows } ?? 0 }

    /// The `type` name a config and an exported model use.
    public var typeName: String {
        switch self {
        case .dense: return "dense"
        case .conv2d: return "conv2d"
        case .maxPool: return "maxpool"
        case .avgPool: return "avgpool"
        case .dropout: return "dropout"
        case .flatten: return "flatten"
        }
    }

    /// Whether the output is an image-like (spatial) tensor that a dense layer must see flattened first.
    var isSpatial: Bool {
        switch self {
        case .conv2d, .maxPool, .avgPool: return true
        default: return false
        }
    }
}

extension LayerPlan {
    /// The plan of `layers` on `input` images, then the output dense layer of `outputs` units (its activation is
    /// the output head's, recorded here as linear). A flatten is inserted before a dense layer that follows a
    /// spatial one without it. Errors name `model.layers[i]` (i in `layers`) and both shapes.
    static func resolve(_ layers: [LayerSpec], input: TensorShape, outputs: Int,
                        activation: Activation) throws -> [LayerPlan] {
        var plan: [LayerPlan] = []
        var shape = input
        var spatial = false
        func fail(_ index: Int, _ message: String) -> ConfigError {
            ConfigError(field: "model.layers[\(index)]", message: message)
        }
        for (index, layer) in layers.enumerated() {
            switch layer {
            case .conv2d(let conv):
                let g = try convGeometry(conv, input: shape, fail: { fail(index, $0) })
                plan.append(.conv2d(g, activation: conv.activation ?? activation))
                spatial = true
            case .maxPool(let pool), .avgPool(let pool):
                let g = try poolGeometry(pool, input: shape, fail: { fail(index, $0) })
                if case .maxPool = layer { plan.append(.maxPool(g)) } else { plan.append(.avgPool(g)) }
                spatial = true
            case .dropout(let rate):
                guard rate >= 0 && rate < 1 else { throw fail(index, "dropout rate must be in [0, 1), got \(rate)") }
                plan.append(.dropout(rate: rate, shape: shape))
            case .flatten:
                plan.append(.flatten(shape))
                spatial = false
            case .dense(let units, let a):
                guard units >= 1 else { throw fail(index, "a dense layer needs at least 1 unit") }
                if spatial { plan.append(.flatten(shape)); spatial = false }
                plan.append(.dense(inputs: shape.count, outputs: units, activation: a ?? activation))
            }
            shape = plan[plan.count - 1].outputShape
        }
        if spatial { plan.append(.flatten(shape)); shape = plan[plan.count - 1].outputShape }
        plan.append(.dense(inputs: shape.count, outputs: outputs, activation: .linear))
        return plan
    }

    private static func convGeometry(_ conv: Conv2DSpec, input: TensorShape,
                                     fail: (String) -> ConfigError) throws -> ConvGeometry {
        let k = conv.kernel, s = conv.stride
        guard conv.filters >= 1 else { throw fail("conv2d needs at least 1 filter") }
        guard k.height >= 1, k.width >= 1, s.height >= 1, s.width >= 1 else {
            throw fail("kernel and stride must be at least 1")
        }
        var top = 0, left = 0, bottom = 0, right = 0
        switch conv.padding {
        case .same:
            guard s.height == 1 && s.width == 1 else { throw fail("padding \"same\" needs stride 1") }
            // PyTorch's "same": the extra row or column of an even kernel goes after.
            top = (k.height - 1) / 2; bottom = k.height - 1 - top
            left = (k.width - 1) / 2; right = k.width - 1 - left
        case .explicit(let p):
            guard p.height >= 0, p.width >= 0 else { throw fail("padding must be at least 0") }
            top = p.height; bottom = p.height; left = p.width; right = p.width
        }
        let paddedH = input.height + top + bottom, paddedW = input.width + left + right
        guard paddedH >= k.height, paddedW >= k.width else {
            throw fail("its input \(input) (padded \(paddedH)×\(paddedW)) is smaller than its kernel \(k.height)×\(k.width)")
        }
        let output = TensorShape(channels: conv.filters, height: (paddedH - k.height) / s.height + 1,
                                 width: (paddedW - k.width) / s.width + 1)
        return ConvGeometry(input: input, output: output, kernel: k, stride: s,
                            padTop: top, padLeft: left, padBottom: bottom, padRight: right)
    }

    private static func poolGeometry(_ pool: PoolSpec, input: TensorShape,
                                     fail: (String) -> ConfigError) throws -> PoolGeometry {
        let k = pool.size, s = pool.stride
        guard k.height >= 1, k.width >= 1, s.height >= 1, s.width >= 1 else {
            throw fail("pool size and stride must be at least 1")
        }
        guard input.height >= k.height, input.width >= k.width else {
            throw fail("its input \(input) is smaller than its window \(k.height)×\(k.width), so it leaves nothing")
        }
        let output = TensorShape(channels: input.channels, height: (input.height - k.height) / s.height + 1,
                                 width: (input.width - k.width) / s.width + 1)
        return PoolGeometry(input: input, output: output, size: k, stride: s)
    }
}
