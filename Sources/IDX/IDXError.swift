// IDXError: every way an IDX file, a gzip stream or a dataset directory can be wrong, each naming the file.
import Foundation

/// A typed failure of the IDX loader. `file` is the path (or a label for in-memory bytes).
public enum IDXError: Error, Equatable, Sendable {
    /// The file could not be opened or read (errno text in `reason`).
    case unreadable(file: String, reason: String)
    /// The first two bytes are not 0x00 0x00 (IDX) and not 0x1f 0x8b (gzip).
    case badMagic(file: String, bytes: [UInt8])
    /// The third magic byte names no IDX element type.
    case unknownType(file: String, code: UInt8)
    /// Fewer bytes than the header promises (header included).
    case truncated(file: String, expected: Int, actual: Int)
    /// More bytes than the header promises (header included).
    case trailingBytes(file: String, expected: Int, actual: Int)
    /// The product of the dimensions (times the element size) overflows Int or exceeds the size limit.
    case dimensionOverflow(file: String, dimensions: [Int])
    /// The decompressed stream would exceed `limit` bytes.
    case tooLarge(file: String, limit: Int)
    /// The gzip/zlib stream is damaged (zlib's message in `reason`).
    case corruptGzip(file: String, reason: String)
    /// A dataset file has the wrong element type or number of dimensions for its role.
    case wrongShape(file: String, expected: String, actual: String)
    /// An images file and its labels file disagree on the number of items.
    case countMismatch(images: String, labels: String, imageCount: Int, labelCount: Int)
    /// A label outside `0..<classes`, at item `index`.
    case labelOutOfRange(file: String, index: Int, label: Int, classes: Int)
    /// One of a dataset's four files is missing (`candidates` are the paths tried).
    case missingFile(directory: String, candidates: [String])
    /// No directory holds the named dataset (`searched` are the directories tried).
    case datasetNotFound(name: String, searched: [String])
    /// A dataset name that could escape the data directory (`/`, `..`, empty).
    case invalidDatasetName(name: String)
}

extension IDXError: CustomStringConvertible, LocalizedError {
    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .badMagic(file, bytes):
            let hex = bytes.map { String(format: "%02x", $0) }.joined(separator: " ")
            return "\(file): bad magic [\(hex)], expected 00 00 <type> <dims> (IDX) or 1f 8b (gzip)"
        case let .unknownType(file, code):
            return "\(file): unknown IDX element type 0x\(String(format: "%02x", code))"
        case let .truncated(file, expected, actual):
            return "\(file): truncated: expected \(expected) bytes, found \(actual)"
        case let .trailingBytes(file, expected, actual):
            return "\(file): \(actual - expected) trailing bytes: expected \(expected) bytes, found \(actual)"
        case let .dimensionOverflow(file, dimensions):
            return "\(file): dimensions \(dimensions) overflow the addressable size"
        case let .tooLarge(file, limit):
            return "\(file): decompressed data exceeds the limit of \(limit) bytes"
        case let .corruptGzip(file, reason):
            return "\(file): corrupt gzip stream: \(reason)"
        case let .wrongShape(file, expected, actual):
            return "\(file): expected \(expected), found \(actual)"
        case let .countMismatch(images, labels, imageCount, labelCount):
            return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
        case let .labelOutOfRange(file, index, label, classes):
            return "\(file): label \(label) at index \(index) is outside 0..<\(classes)"
        case let .missingFile(directory, candidates):
            return "\(directory): missing dataset file, tried \(candidates.joined(separator: ", "))"
        case let .datasetNotFound(name, searched):
            return "dataset '\(name)' not found, searched \(searched.joined(separator: ", "))"
        case let .invalidDatasetName(name):
            return "invalid dataset name '\(name)'"
        }
    }

    public var errorDescription: String? { description }
}
