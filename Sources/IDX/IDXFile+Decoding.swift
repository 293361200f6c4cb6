// Decoding an IDX payload from big-endian bytes into native arrays, one loop per element type.

extension IDXFile {
    /// Decodes `count` elements of `type` starting at `offset`; the caller has checked the size.
    static func decode(_ bytes: [UInt8], from offset: Int, type: IDXElementType, count: Int) -> IDXData {
        switch type {
        case .ubyte:
            return .ubyte(Array(bytes[offset..<(offset + count)]))
        case .byte:
            return .byte(bytes[offset..<(offset + count)].map { Int8(bitPattern: $0) })
        case .short:
            return .short(decodeWords(bytes, from: offset, count: count) { (raw: UInt16) in Int16(bitPattern: raw) })
        case .int:
            return .int(decodeWords(bytes, from: offset, count: count) { (raw: UInt32) in Int32(bitPattern: raw) })
        case .float:
            return .float(decodeWords(bytes, from: offset, count: count) { (raw: UInt32) in Float(bitPattern: raw) })
        case .double:
            return .double(decodeWords(bytes, from: offset, count: count) { (raw: UInt64) in Double(bitPattern: raw) })
        }
    }

    /// Reads `count` big-endian words of type `Word` (unaligned) and maps each through `convert`.
    private static func decodeWords<Word: FixedWidthInteger, Value>(
        _ bytes: [UInt8], from offset: Int, count: Int, _ convert: (Word) -> Value
    ) -> [Value] {
        let width = MemoryLayout<Word>.size
        precondition(offset + count * width <= bytes.count, "IDX payload size was checked by the parser")
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { index in
                convert(Word(bigEndian: raw.loadUnaligned(fromByteOffset: offset + index * width, as: Word.self)))
            }
        }
    }
}
