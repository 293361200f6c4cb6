// How the state directory holds a model: `{id}.safetensors`, the F32 tensors and the architecture as the
// safetensors export has them, plus `crc32` in `__metadata__`: zlib's CRC-32 of every byte after the header, so
// a flipped or missing byte is found before the model is used or served. The header is the only overhead
// (1.0014× the raw float bytes for 784-128-10, less for larger models; JSON took about 3×). Models written by
// earlier versions (`{id}.json`) are still read.
import CZlib
import Engine
import Foundation

enum ModelFile {
    static let checksumKey = "crc32"

    /// The file's bytes: the model's safetensors with the checksum of its tensor bytes in the metadata.
    static func encode(_ model: Model) -> Data {
        model.safetensorsData(metadata: { tensorBytes in [checksumKey: String(crc(tensorBytes))] })
    }

    /// The model a file holds; a truncated, altered or unreadable one is a `StoreError.corruptModel` naming the file.
    static func decode(_ data: Data, path: String) throws -> Model {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw StoreError.corruptModel(path: path, reason: "\(bytes.count) bytes, shorter than its header") }
        let length = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(bytes.count - 8) else {
            throw StoreError.corruptModel(path: path, reason: "its header of \(length) bytes runs past the file's \(bytes.count)")
        }
        let read: (model: Model, metadata: [String: String])
        do { read = try Model.readSafetensors(data) } catch {
            throw StoreError.corruptModel(path: path, reason: "\(error)")
        }
        let tensors = Array(bytes[(8 + Int(length))...])
        guard let stored = read.metadata[checksumKey], stored == String(crc(tensors)) else {
            throw StoreError.corruptModel(path: path, reason: "the CRC-32 of its \(tensors.count) tensor bytes is \(crc(tensors)), "
                                          + "the file says \(read.metadata[checksumKey] ?? "nothing")")
        }
        return read.model
    }

    static func crc(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
    }
}
