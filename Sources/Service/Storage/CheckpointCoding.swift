// The engine's Checkpoint on disk (`jobs/<id>/checkpoint.bin`): the magic `MNCKPT` + version, a length-
// prefixed JSON header of the small fields (counters, generator states, widths), then the parameters and the
// optimizer state (and early stopping's best weights, when kept) as raw little-endian float32. A 3M-parameter model writes in tens of milliseconds; a
// property list of the same took seconds, too slow for a SIGTERM deadline.
import Engine
import Foundation

/// Encodes and decodes checkpoints; decoding checks every length and throws `StoreError.badFormat`.
enum CheckpointCoding {
    static let magic = Array("MNCKPT\u{0}\u{1}".utf8)

    static func encode(_ checkpoint: Checkpoint) throws -> Data {
        var header = checkpoint
        header.parameters = []
        header.optimizerState = []
        header.bestParameters = nil
        let json = try JSONEncoder().encode(header)
        var data = Data(magic)
        append(UInt64(json.count), to: &data)
        data += json
        for floats in [checkpoint.parameters, checkpoint.optimizerState] + (checkpoint.bestParameters.map { [$0] } ?? []) {
            append(UInt64(floats.count), to: &data)
            floats.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        return data
    }

    static func decode(_ data: Data) throws -> Checkpoint {
        let bytes = [UInt8](data)
        var offset = magic.count
        guard bytes.starts(with: magic) else { throw bad("not an mnistd checkpoint (bad magic)") }
        let headerLength = try count(bytes, &offset, limit: bytes.count)
        var checkpoint = try JSONDecoder().decode(Checkpoint.self, from: Data(bytes[offset..<(offset + headerLength)]))
        offset += headerLength
        checkpoint.parameters = try floats(bytes, &offset)
        checkpoint.optimizerState = try floats(bytes, &offset)
        // A third block, when present, is the best weights (checkpoints written before early stopping have two).
        if offset < bytes.count { checkpoint.bestParameters = try floats(bytes, &offset) }
        guard offset == bytes.count else { throw bad("\(bytes.count - offset) bytes after the optimizer state") }
        return checkpoint
    }

    private static func floats(_ bytes: [UInt8], _ offset: inout Int) throws -> [Float] {
        let count = try self.count(bytes, &offset, limit: (bytes.count - offset - 8) / 4)
        let values = bytes[offset..<(offset + count * 4)].withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
        offset += count * 4
        return values
    }

    /// A u64 count at `offset` that must not exceed `limit`.
    private static func count(_ bytes: [UInt8], _ offset: inout Int, limit: Int) throws -> Int {
        guard offset + 8 <= bytes.count else { throw bad("truncated at byte \(offset)") }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += 8
        guard value <= UInt64(max(0, limit)), Int(value) <= bytes.count - offset else { throw bad("a length of \(value) runs past the end") }
        return Int(value)
    }

    private static func append(_ value: UInt64, to data: inout Data) {
        for index in 0..<8 { data.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }

    private static func bad(_ reason: String) -> StoreError { .badFormat(path: "checkpoint.bin", reason: reason) }
}
