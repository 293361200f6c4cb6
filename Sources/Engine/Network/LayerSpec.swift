// The layers a config's `model.layers` lists between the input image and the output layer, as plain values.
// The config parser produces them; the engine infers their shapes and builds its layer stack from them.

/// Height and width of a kernel, stride, padding or pooling window.
public struct Extent2D: Equatable, Hashable, Sendable {
    public var height: Int
    public var width: Int

    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }

    /// The same extent in both directions.
    public init(square side: Int) { self.init(side, side) }
}

/// A convolution's zero padding: explicit rows/columns on each side, or "same" (output size = input size at
/// stride 1; for an even kernel the extra row/column goes after, as PyTorch's `padding="same"`).
public enum Padding: Equatable, Sendable {
    case explicit(Extent2D)
    case same
}

/// A 2-D convolution over (channels, height, width) images, PyTorch's Conv2d with groups = dilation = 1.
public struct Conv2DSpec: Equatable, Sendable {
    public var filters: Int
    public var kernel: Extent2D
    public var stride: Extent2D
    public var padding: Padding
    /// nil: the model's hidden activation.
    public var activation: Activation?

    public init(filters: Int, kernel: Extent2D, stride: Extent2D = Extent2D(square: 1),
                padding: Padding = .explicit(Extent2D(square: 0)), activation: Activation? = nil) {
        self.filters = filters
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.activation = activation
    }
}

/// A pooling window (max or average); the stride defaults to the size. No padding.
public struct PoolSpec: Equatable, Sendable {
    public var size: Extent2D
    public var stride: Extent2D

    public init(size: Extent2D, stride: Extent2D? = nil) {
        self.size = size
        self.stride = stride ?? size
    }
}

/// One layer of `model.layers`. The output layer (dense, `model.output`) is not listed: it is always appended.
public enum LayerSpec: Equatable, Sendable {
    case conv2d(Conv2DSpec)
    case maxPool(PoolSpec)
    case avgPool(PoolSpec)
    /// Inverted dropout of `rate` (0 ≤ rate < 1), training only.
    case dropout(rate: Double)
    /// (channels, height, width) → channels·height·width, in that order (PyTorch's `flatten(1)` on NCHW).
    case flatten
    /// nil activation: the model's hidden activation.
    case dense(units: Int, activation: Activation?)

    /// The `type` name a config and an exported model use.
    public var typeName: String {
        switch self {
        case .conv2d: return "conv2d"
        case .maxPool: return "maxpool"
        case .avgPool: return "avgpool"
        case .dropout: return "dropout"
        case .flatten: return "flatten"
        case .dense: return "dense"
        }
    }
}

extension LayerSpec {
    /// A few characters for names and summaries: "conv6@5x5", "maxpool2", "dropout0.25", "flatten", "dense120".
    public var shortName: String {
        func side(_ e: Extent2D) -> String { e.height == e.width ? "\(e.height)" : "\(e.height)x\(e.width)" }
        switch self {
        case .conv2d(let c):
            return "conv\(c.filters)@\(c.kernel.height)x\(c.kernel.width)" + (c.stride == Extent2D(square: 1) ? "" : "/\(side(c.stride))")
        case .maxPool(let p): return "maxpool\(side(p.size))"
        case .avgPool(let p): return "avgpool\(side(p.size))"
        case .dropout(let rate): return "dropout\(rate)"
        case .flatten: return "flatten"
        case .dense(let units, _): return "dense\(units)"
        }
    }
}
