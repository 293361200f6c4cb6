// Normalization: how raw 0...255 pixels become the network's float32 inputs, via a 256-entry table.

/// Pixel scaling: `unit` = v/255; `standardize` = (v/255 − 0.1307)/0.3081 (MNIST's mean and std).
public enum Normalization: String, Sendable, CaseIterable {
    case unit
    case standardize

    /// MNIST's training-set pixel mean and standard deviation on the 0...1 scale.
    public static let mean: Float = 0.1307
    public static let standardDeviation: Float = 0.3081

    /// The float32 input for one raw pixel value.
    public func value(_ pixel: UInt8) -> Float {
        let unit = Float(pixel) / 255
        switch self {
        case .unit: return unit
        case .standardize: return (unit - Self.mean) / Self.standardDeviation
        }
    }

    /// `value(_:)` for all 256 pixel values, so converting is one lookup per pixel.
    public var table: [Float] {
        (0...255).map { value(UInt8($0)) }
    }

    /// Converts raw pixels into `output` (same count), one table lookup each.
    func convert(_ pixels: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(pixels.count == output.count, "pixel and output counts differ")
        let table = self.table
        table.withUnsafeBufferPointer { lookup in
            guard let source = pixels.baseAddress, let target = output.baseAddress, let entries = lookup.baseAddress else { return }
            for index in 0..<pixels.count {
                target[index] = entries[Int(source[index])]
            }
        }
    }
}
