// The shape of one sample's activations: channels × height × width. A dense layer's output is C × 1 × 1.

/// Channels, height and width of one sample. Inside the engine a spatial sample is stored position by
/// position, each position's channels together (height, width, channels); `flatten` reorders it to PyTorch's
/// (channels, height, width).
public struct TensorShape: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// A flat vector of `features` (what a dense layer reads and writes).
    public init(features: Int) { self.init(channels: features, height: 1, width: 1) }

    /// A square single-channel image of `pixels` (1×28×28 for 784), or a flat vector when `pixels` is no square.
    public init(image pixels: Int) {
        let side = Int(Double(pixels).squareRoot().rounded())
        self = side * side == pixels ? TensorShape(channels: 1, height: side, width: side) : TensorShape(features: pixels)
    }

    /// Scalars per sample.
    public var count: Int { channels * height * width }

    /// Positions per channel.
    public var positions: Int { height * width }

    /// "6×28×28", or "120" for a flat vector.
    public var description: String { positions == 1 ? "\(channels)" : "\(channels)×\(height)×\(width)" }
}
