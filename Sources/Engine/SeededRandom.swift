// The engine's own random numbers: xoshiro256** seeded through SplitMix64, normals by Box–Muller.
// Its whole state is four words, so checkpoints restore it exactly and one seed gives one stream everywhere.
import Foundation

/// A deterministic generator: the same seed gives bit-identical draws on every machine.
public struct SeededRandom: RandomNumberGenerator, Codable, Equatable, Sendable {
    // Four plain words (not an array): copying the generator never allocates.
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Seeds the four state words from `seed` with SplitMix64 (never all zero).
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// An independent stream for the same seed: stream 0 is `init(seed:)`; others decorrelate through SplitMix64.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: stream == 0 ? seed : seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
    }

    /// xoshiro256**: the next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [low, high).
    public mutating func nextUniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUnit()
    }

    /// Standard normal by Box–Muller; one draw uses two uniforms (no cached spare, so the state stays 4 words).
    public mutating func nextNormal() -> Double {
        let u1 = 1 - nextUnit() // in (0, 1]: log never sees 0
        let u2 = nextUnit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// An index in 0..<count, unbiased (Lemire's multiply-and-reject, spelled out so it never changes).
    public mutating func nextIndex(below count: Int) -> Int {
        precondition(count > 0)
        let bound = UInt64(count)
        let threshold = (0 &- bound) % bound
        while true {
            let product = next().multipliedFullWidth(by: bound)
            if product.low >= threshold { return Int(product.high) }
        }
    }

    @inline(__always) private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
