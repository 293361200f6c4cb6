// Shared test fixtures: where the real MNIST files are, and IDX/gzip bytes built in memory.
import Foundation
import Testing
import CZlib
@testable import IDX
import TestSupport

enum Fixtures {
    /// Where `SharedMNIST` finds the real MNIST (MNISTD_MNIST_DIR, ../shared/mnist, data/).
    static var mnistDirectory: String { SharedMNIST.directory }

    static var mnistAvailable: Bool { SharedMNIST.isAvailable }

    static var mnistMissing: Comment { "real MNIST files not found in \(SharedMNIST.candidates.joined(separator: " or "))" }

    /// Raw IDX bytes: magic 00 00 type rank, big-endian dimensions, then `payload`.
    static func idx(_ type: IDXElementType, _ dimensions: [Int], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, type.rawValue, UInt8(dimensions.count)]
        for dimension in dimensions {
            let value = UInt32(dimension)
            bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
        }
        return bytes + payload
    }

    /// Gzip-compresses `bytes` with zlib (windowBits 15+16 writes a gzip header).
    static func gzip(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        precondition(deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target -> Int in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output[..<produced])
    }

    /// A fresh empty temporary directory, unique per call.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "idx-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
