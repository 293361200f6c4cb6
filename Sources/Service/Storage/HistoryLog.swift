// A job's history on disk (`jobs/<id>/history.bin`) and in memory. The file is an 8-byte magic followed
// by append-only 20-byte records; a torn or zeroed tail fails its CRC, is ignored on load and cut off
// before the next append. Callers append per batch of points, `flush()` often, `sync()` at checkpoints.
import CZlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Thread-safe history of one job, loaded from its file on first use.
public final class HistoryLog: @unchecked Sendable {
    /// `MNHIST` + format version 1.
    static let magic: [UInt8] = Array("MNHIST\u{0}\u{1}".utf8)
    /// u32 iteration (bit 31 set = evaluation, bits 31 and 30 = validation evaluation), u32 epoch, f32 loss,
    /// f32 accuracy, u32 CRC-32 of the first 16.
    static let recordSize = 20

    public let url: URL
    private let lock = NSLock()
    private var history: History?
    private var pending: [UInt8] = []
    private var fd: Int32 = -1
    /// Bytes that failed to parse at the end of the file on load (a torn tail).
    public private(set) var discardedTailBytes = 0

    init(url: URL) {
        self.url = url
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Adds records in memory and to the write buffer (written at the next `flush`/`sync`).
    public func append(_ records: [HistoryRecord]) throws {
        try locked {
            try loadIfNeeded()
            for record in records {
                history!.apply(record)
                HistoryLog.encode(record, into: &pending)
            }
        }
    }

    /// Writes buffered records to the file (survives `kill -9`, not power loss).
    public func flush() throws {
        try locked { try writePending() }
    }

    /// Writes buffered records and fsyncs the file (survives power loss).
    public func sync() throws {
        try locked {
            try writePending()
            if fd >= 0, fsync(fd) != 0 { throw StoreError.io(operation: "fsync", path: url.path, errno: errno) }
        }
    }

    /// Points after iteration `since`, at most `limit`, evaluations merged.
    public func points(since: Int = -1, limit: Int = .max) throws -> [HistoryPoint] {
        try locked {
            try loadIfNeeded()
            return history!.points(since: since, limit: limit)
        }
    }

    /// A copy of the in-memory history.
    public func snapshot() throws -> History {
        try locked {
            try loadIfNeeded()
            return history!
        }
    }

    /// Closes the file; the next use reopens it.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: - File

    private func loadIfNeeded() throws {
        guard history == nil else { return }
        var loaded = History()
        let bytes = [UInt8](try AtomicFile.read(url) ?? Data())
        var validLength = 0
        if bytes.count >= HistoryLog.magic.count {
            guard bytes.starts(with: HistoryLog.magic) else {
                throw StoreError.badFormat(path: url.path, reason: "not a mnistd history file (bad magic)")
            }
            var offset = HistoryLog.magic.count
            while offset + HistoryLog.recordSize <= bytes.count, let record = HistoryLog.decode(bytes, at: offset) {
                loaded.apply(record)
                offset += HistoryLog.recordSize
            }
            validLength = offset
        }
        discardedTailBytes = bytes.count - validLength
        history = loaded
        try openForAppend(validLength: validLength)
    }

    /// Opens the file for appending, cutting a torn tail and writing the magic into a new file.
    private func openForAppend(validLength: Int) throws {
        let existed = FileManager.default.fileExists(atPath: url.path)
        fd = try AtomicFile.open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if validLength == 0 {
            guard ftruncate(fd, 0) == 0 else { throw StoreError.io(operation: "ftruncate", path: url.path, errno: errno) }
            guard lseek(fd, 0, SEEK_SET) >= 0 else { throw StoreError.io(operation: "lseek", path: url.path, errno: errno) }
            try AtomicFile.writeAll(fd, Data(HistoryLog.magic), path: url.path)
            if !existed { try AtomicFile.syncDirectory(url.deletingLastPathComponent()) }
        } else {
            if discardedTailBytes > 0, ftruncate(fd, off_t(validLength)) != 0 {
                throw StoreError.io(operation: "ftruncate", path: url.path, errno: errno)
            }
            guard lseek(fd, off_t(validLength), SEEK_SET) >= 0 else { throw StoreError.io(operation: "lseek", path: url.path, errno: errno) }
        }
    }

    private func writePending() throws {
        guard !pending.isEmpty else { return }
        if fd < 0 { history = nil; try loadIfNeeded() }
        try AtomicFile.writeAll(fd, Data(pending), path: url.path)
        pending.removeAll(keepingCapacity: true)
    }

    // MARK: - Records

    static func encode(_ record: HistoryRecord, into out: inout [UInt8]) {
        let (tagged, epoch, loss, accuracy): (UInt32, Int, Float, Float)
        switch record {
        case let .train(i, e, l, a): (tagged, epoch, loss, accuracy) = (UInt32(clamping: i) & iterationMask, e, l, a)
        case let .eval(i, e, l, a): (tagged, epoch, loss, accuracy) = (UInt32(clamping: i) & iterationMask | 0x8000_0000, e, l, a)
        case let .validation(i, e, l, a): (tagged, epoch, loss, accuracy) = (UInt32(clamping: i) & iterationMask | 0xC000_0000, e, l, a)
        }
        let start = out.count
        for word in [tagged, UInt32(clamping: epoch), loss.bitPattern, accuracy.bitPattern] { appendLE(word, &out) }
        let crc = out[start...].withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, 16)) }
        appendLE(crc, &out)
    }

    /// The record at `offset`, or nil when its CRC does not match (torn or zeroed).
    static func decode(_ bytes: [UInt8], at offset: Int) -> HistoryRecord? {
        let crc = bytes[offset..<(offset + 16)].withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, 16)) }
        guard crc == readLE(bytes, offset + 16) else { return nil }
        let tagged = readLE(bytes, offset)
        let iteration = Int(tagged & iterationMask), epoch = Int(readLE(bytes, offset + 4))
        let loss = Float(bitPattern: readLE(bytes, offset + 8)), accuracy = Float(bitPattern: readLE(bytes, offset + 12))
        switch tagged >> 30 {
        case 0, 1: return .train(iteration: iteration, epoch: epoch, loss: loss, accuracy: accuracy)
        case 2: return .eval(iteration: iteration, epoch: epoch, loss: loss, accuracy: accuracy)
        default: return .validation(iteration: iteration, epoch: epoch, loss: loss, accuracy: accuracy)
        }
    }

    /// The iteration's bits of the first word (iterations stay below 2³⁰: the config allows 10⁷).
    static let iterationMask: UInt32 = 0x3FFF_FFFF

    private static func appendLE(_ word: UInt32, _ out: inout [UInt8]) {
        out += [UInt8(word & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word >> 16 & 0xFF), UInt8(word >> 24)]
    }

    private static func readLE(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}
