// The protocol buffers wire format, written by hand: just what an ONNX model needs (varints, 32-bit floats,
// length-delimited strings, bytes and nested messages). Fields are written in the order they are added.
// See https://protobuf.dev/programming-guides/encoding/.

/// Bytes of one protobuf message, built field by field.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    private enum WireType: UInt64 {
        case varint = 0
        case lengthDelimited = 2
        case fixed32 = 5
    }

    private mutating func tag(_ field: Int, _ type: WireType) {
        appendVarint(UInt64(field) << 3 | type.rawValue)
    }

    private mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// An int32/int64/enum field; a negative value takes ten bytes (two's complement), as the format says.
    mutating func int(_ field: Int, _ value: Int) {
        tag(field, .varint)
        appendVarint(UInt64(bitPattern: Int64(value)))
    }

    /// A `float` field (fixed32, little-endian).
    mutating func float(_ field: Int, _ value: Float) {
        tag(field, .fixed32)
        bytes.append(contentsOf: ProtobufWriter.littleEndian(value))
    }

    /// A float's four bytes, least significant first.
    static func littleEndian(_ value: Float) -> [UInt8] {
        let bits = value.bitPattern
        return [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
                UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24)]
    }

    /// A `bytes` field.
    mutating func data(_ field: Int, _ value: [UInt8]) {
        tag(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A `string` field (UTF-8).
    mutating func string(_ field: Int, _ value: String) { data(field, Array(value.utf8)) }

    /// A nested message field.
    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        build(&inner)
        data(field, inner.bytes)
    }
}
