// MD5 (RFC 1321) in pure Swift, only to check downloads against the published MNIST checksums.
import Foundation

/// An MD5 digest computed incrementally: `update` any number of times, then `hexDigest`.
public struct MD5: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    public init() {}

    /// The lowercase hex MD5 of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        var md5 = MD5()
        md5.update(bytes)
        return md5.hexDigest()
    }

    /// Feeds more bytes.
    public mutating func update(_ bytes: [UInt8]) {
        length &+= UInt64(bytes.count)
        var start = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending += bytes[0..<take]
            start = take
            guard pending.count == 64 else { return }
            pending.withUnsafeBytes { compress($0, at: 0) }
            pending.removeAll(keepingCapacity: true)
        }
        let whole = (bytes.count - start) / 64 * 64
        bytes.withUnsafeBytes { raw in
            var offset = start
            while offset < start + whole {
                compress(raw, at: offset)
                offset += 64
            }
        }
        pending += bytes[(start + whole)...]
    }

    /// The 32 lowercase hex digits of the digest (pads a copy; the digest can still be updated).
    public func hexDigest() -> String {
        var copy = self
        let bits = length &* 8
        // RFC 1321 §3.1–3.2: a 1 bit, zeros to 56 mod 64, then the bit length little-endian.
        var padding: [UInt8] = [0x80]
        padding += [UInt8](repeating: 0, count: (119 - Int(length % 64)) % 64)
        padding += (0..<8).map { UInt8(truncatingIfNeeded: bits >> (8 * UInt64($0))) }
        copy.update(padding)
        let words = [copy.state.0, copy.state.1, copy.state.2, copy.state.3]
        let hexDigits = Array("0123456789abcdef")
        return String(words.flatMap { word in (0..<4).flatMap { index -> [Character] in
            let byte = Int((word >> (8 * UInt32(index))) & 0xff)
            return [hexDigits[byte >> 4], hexDigits[byte & 0xf]]
        } })
    }

    /// RFC 1321 §3.4: one 64-byte block.
    private mutating func compress(_ raw: UnsafeRawBufferPointer, at offset: Int) {
        var block = [UInt32](repeating: 0, count: 16)
        for index in 0..<16 {
            block[index] = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * index, as: UInt32.self))
        }
        var (a, b, c, d) = state
        for step in 0..<64 {
            var f: UInt32
            var g: Int
            switch step {
            case 0..<16: f = (b & c) | (~b & d); g = step
            case 16..<32: f = (d & b) | (~d & c); g = (5 * step + 1) % 16
            case 32..<48: f = b ^ c ^ d; g = (3 * step + 5) % 16
            default: f = c ^ (b | ~d); g = (7 * step) % 16
            }
            f = f &+ a &+ Self.constants[step] &+ block[g]
            a = d
            d = c
            c = b
            b = b &+ ((f << Self.shifts[step]) | (f >> (32 - Self.shifts[step])))
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }

    private static let shifts: [UInt32] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                           5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
                                           4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                           6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21]

    /// K[i] = floor(2^32 · |sin(i + 1)|), RFC 1321 §3.4.
    private static let constants: [UInt32] = (0..<64).map { UInt32(UInt64(abs(sin(Double($0 + 1))) * 4_294_967_296)) }
}
