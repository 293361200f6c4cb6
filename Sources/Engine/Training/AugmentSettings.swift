// The random affine each training sample gets per step (`training.augment`): a shift, a rotation and a scale
// about the image centre, each drawn uniformly from ± its range, sampled bilinearly with the background value
// outside the image. Ranges of 0 leave every image bit-identical.

public struct AugmentSettings: Equatable, Sendable {
    /// Largest shift, in pixels, along each axis.
    public var shift: Double = 0
    /// Largest rotation, in degrees, either way.
    public var rotate: Double = 0
    /// Largest change of size, as a fraction: the scale is drawn from [1 − scale, 1 + scale].
    public var scale: Double = 0

    public init(shift: Double = 0, rotate: Double = 0, scale: Double = 0) {
        self.shift = shift
        self.rotate = rotate
        self.scale = scale
    }

    /// Whether every range is 0 (nothing to do).
    public var isIdentity: Bool { shift == 0 && rotate == 0 && scale == 0 }
}
