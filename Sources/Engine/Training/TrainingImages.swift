// The training images a Trainer gathers its minibatches from: float inputs, or raw bytes normalized in the
// gather itself. MNIST as bytes is a quarter of the memory (47 MB instead of 188 MB) and a quarter of the
// traffic of each random minibatch gather; the floats it yields are bit for bit those of converting first.

/// count × inputs training images, row-major.
public enum TrainingImages: Sendable {
    /// Inputs as they are fed to the network.
    case floats([Float])
    /// Pixels 0...255; pixel b enters the network as `value(b, mean:, deviation:)`. Mean 0 and deviation 1
    /// is the 0...1 scale (b / 255) exactly: x − 0 and x / 1 are exact in IEEE arithmetic.
    case bytes([UInt8], mean: Float, deviation: Float)

    /// Values stored (images × inputs).
    public var count: Int {
        switch self {
        case let .floats(values): values.count
        case let .bytes(pixels, _, _): pixels.count
        }
    }

    /// The network input for pixel `byte`: (b / 255 − mean) / deviation, in float32, in this order.
    @inline(__always)
    public static func value(_ byte: UInt8, mean: Float, deviation: Float) -> Float {
        (Float(byte) / 255 - mean) / deviation
    }
}
