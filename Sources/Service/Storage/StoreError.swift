// Errors of the state directory: failed system calls (with errno) and records that do not parse.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What went wrong persisting or loading state.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed: `operation` (open, write, fsync, rename...) on `path` with `errno`.
    case io(operation: String, path: String, errno: Int32)
    /// A stored record is not in the expected shape; `field` names the first bad field.
    case malformedRecord(field: String, reason: String)
    /// A file holds something other than this format (bad magic or version).
    case badFormat(path: String, reason: String)
    /// An id that is not safe as a file name.
    case invalidID(String)
    /// A stored model file that is truncated, altered or unreadable: never used nor served.
    case corruptModel(path: String, reason: String)

    public var description: String {
        switch self {
        case let .io(operation, path, code):
            return "\(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
        case let .malformedRecord(field, reason):
            return "malformed record: \(field) \(reason)"
        case let .badFormat(path, reason):
            return "\(path): \(reason)"
        case let .corruptModel(path, reason):
            return "the model file \(path) is corrupt: \(reason)"
        case let .invalidID(id):
            return "'\(id)' is not a valid id (letters, digits, '-' and '_', 1...64 characters)"
        }
    }
}

extension StoreError {
    /// Runs the reads of a stored record, making a field that does not read a `malformedRecord` naming it.
    static func reading<T>(_ read: () throws -> T) throws -> T {
        do {
            return try read()
        } catch let error as JSONReadError {
            throw StoreError.malformedRecord(field: error.field, reason: error.reason)
        }
    }
}
