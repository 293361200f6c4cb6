// A socket file descriptor and the outcomes of reading from and writing to it without blocking.
import Glibc

/// A socket file descriptor. Value type: closing is explicit (`close()`), once, by its owner.
struct Socket: Hashable, Sendable {
    let fd: Int32

    /// What a non-blocking read produced.
    enum ReadResult: Equatable {
        case bytes(Int)
        case wouldBlock
        case endOfStream
    }

    /// What a non-blocking write produced.
    enum WriteResult: Equatable {
        case bytes(Int)
        case wouldBlock
    }

    /// Reads everything a non-blocking socket has buffered into `body`'s bytes, up to `limit` bytes;
    /// returns how many bytes were appended and whether the peer has closed its side.
    func readAvailable(into bytes: inout [UInt8], limit: Int) throws -> (count: Int, endOfStream: Bool) {
        var total = 0
        while total < limit {
            let chunk = Swift.min(16 * 1024, limit - total)
            let result = try withUnsafeTemporaryAllocation(byteCount: chunk, alignment: 16) { buffer -> ReadResult in
                let result = try read(into: buffer)
                if case let .bytes(n) = result {
                    bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                }
                return result
            }
            switch result {
            case let .bytes(n):
                total += n
                if n < chunk { return (total, false) }  // the kernel had no more; skip the EAGAIN round trip
            case .wouldBlock:
                return (total, false)
            case .endOfStream:
                return (total, true)
            }
        }
        return (total, false)
    }

    /// Writes as much of `bytes` as the socket takes now; returns the count written (maybe 0).
    func writeAvailable(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        var offset = 0
        while offset < bytes.count {
            switch try write(UnsafeRawBufferPointer(rebasing: bytes[offset...])) {
            case let .bytes(n): offset += n
            case .wouldBlock: return offset
            }
        }
        return offset
    }
}
