// The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
// shape and byte range, an optional `__metadata__` of string → string, then the tensors' bytes. Only F32
// tensors are read and written here. See https://github.com/huggingface/safetensors#format.
import Foundation

/// Float32 tensors by name, with string metadata.
struct SafetensorsFile {
    struct Tensor: Equatable {
        var shape: [Int]
        var values: [Float]
    }

    /// The header may be at most this long (the format's own limit is 100 MB).
    static let maxHeaderBytes = 100_000_000

    var tensors: [String: Tensor]
    var metadata: [String: String]

    init(tensors: [String: Tensor], metadata: [String: String]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Whether `data` starts as a safetensors file does: a plausible header length, then `{`.
    static func looksLike(_ data: Data) -> Bool {
        guard data.count >= 9 else { return false }
        let length = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        return length >= 2 && length <= UInt64(data.count - 8) && data[data.startIndex + 8] == UInt8(ascii: "{")
    }

    // MARK: - Writing

    /// The file: tensors in `order` (each name once), packed one after another, offsets relative to the data.
    func encoded(order: [String]) -> Data {
        var header = "{\"__metadata__\":{"
        header += metadata.keys.sorted().map { "\(Self.quoted($0)):\(Self.quoted(metadata[$0]!))" }.joined(separator: ",") + "}"
        var offset = 0
        for name in order {
            let tensor = tensors[name]!
            let end = offset + tensor.values.count * 4
            header += ",\(Self.quoted(name)):{\"dtype\":\"F32\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],"
                + "\"data_offsets\":[\(offset),\(end)]}"
            offset = end
        }
        header += "}"
        // Padded with spaces to a multiple of 8, so the tensors start aligned (the format allows it).
        while (header.utf8.count) % 8 != 0 { header += " " }
        var data = Data(capacity: 8 + header.utf8.count + offset)
        let length = UInt64(header.utf8.count)
        data.append(contentsOf: (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) })
        data.append(contentsOf: header.utf8)
        let raw = tensorBytes(order: order)
        data.append(contentsOf: raw)
        return data
    }

    /// The bytes after the header: the tensors in `order`, little-endian.
    func tensorBytes(order: [String]) -> [UInt8] {
        var raw = [UInt8]()
        raw.reserveCapacity(order.reduce(0) { $0 + (tensors[$1]?.values.count ?? 0) * 4 })
        for name in order {
            for v in tensors[name]!.values {
                let bits = v.bitPattern
                raw.append(UInt8(truncatingIfNeeded: bits)); raw.append(UInt8(truncatingIfNeeded: bits >> 8))
                raw.append(UInt8(truncatingIfNeeded: bits >> 16)); raw.append(UInt8(truncatingIfNeeded: bits >> 24))
            }
        }
        return raw
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    // MARK: - Reading

    /// Parses a file; a bad header, a tensor that is not F32, or a byte range outside the data names what.
    init(parsing data: Data) throws {
        func fail(_ field: String, _ message: String) -> ModelError { ModelError.invalidField(field: field, message: message) }
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw fail("header", "the file has \(bytes.count) bytes, fewer than the 8 of its header length") }
        let length = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(Self.maxHeaderBytes), Int(length) <= bytes.count - 8 else {
            throw fail("header", "the header length \(length) runs past the file's \(bytes.count) bytes")
        }
        let headerEnd = 8 + Int(length)
        guard let tree = try? JSONTree.parse(Data(bytes[8..<headerEnd])), let header = tree as? [String: Any] else {
            throw fail("header", "the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        if let raw = header["__metadata__"] {
            guard let object = raw as? [String: Any] else { throw fail("__metadata__", "must be an object of strings") }
            for (key, value) in object {
                guard let text = value as? String else { throw fail("__metadata__.\(key)", "must be a string") }
                metadata[key] = text
            }
        }
        let dataLength = bytes.count - headerEnd
        var tensors: [String: Tensor] = [:]
        for (name, raw) in header where name != "__metadata__" {
            guard let info = raw as? [String: Any] else { throw fail(name, "must be an object with dtype, shape and data_offsets") }
            guard let dtype = info["dtype"] as? String, dtype == "F32" else {
                throw fail("\(name).dtype", "must be \"F32\", got \(info["dtype"].map { "\($0)" } ?? "nothing")")
            }
            guard let dims = info["shape"] as? [Any], let shape = Optional(dims.compactMap(Self.integer)), shape.count == dims.count,
                  shape.allSatisfy({ $0 >= 0 && $0 <= 1 << 26 }) else {
                throw fail("\(name).shape", "must be an array of non-negative integers")
            }
            guard let range = info["data_offsets"] as? [Any], range.count == 2, let begin = Self.integer(range[0]),
                  let end = Self.integer(range[1]), begin >= 0, begin <= end, end <= dataLength else {
                throw fail("\(name).data_offsets", "must be [begin, end] within the \(dataLength) bytes after the header")
            }
            let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
            guard count <= 1 << 26, end - begin == count * 4 else {
                throw fail("\(name).data_offsets", "holds \(end - begin) bytes; shape \(shape) of F32 needs \(count * 4)")
            }
            let start = headerEnd + begin
            let values = (0..<count).map { i -> Float in
                let at = start + i * 4
                return Float(bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
            }
            tensors[name] = Tensor(shape: shape, values: values)
        }
        self.init(tensors: tensors, metadata: metadata)
    }

    private static func integer(_ value: Any) -> Int? {
        guard let number = JSONTree.number(value), number.rounded() == number, abs(number) < 1e15 else { return nil }
        return Int(number)
    }
}
