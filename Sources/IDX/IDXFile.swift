// IDXFile: one parsed IDX file (raw or gzipped): element type, dimensions and the decoded elements.
// Every size is computed with overflow checks; bad bytes give an IDXError, never a trap.

/// The elements of an IDX file, decoded from big-endian into native values, row-major.
public enum IDXData: Sendable, Equatable {
    case ubyte([UInt8])
    case byte([Int8])
    case short([Int16])
    case int([Int32])
    case float([Float])
    case double([Double])
}

/// A parsed IDX file: `dimensions` (outermost first) and `data` holding their product of elements.
public struct IDXFile: Sendable, Equatable {
    public let elementType: IDXElementType
    public let dimensions: [Int]
    public let data: IDXData

    /// Largest decompressed size accepted by default: 1 GiB (MNIST's largest file is 47 MB).
    public static let defaultLimit = 1 << 30

    /// Number of elements (product of the dimensions; 1 for zero dimensions).
    public var count: Int { dimensions.reduce(1, *) }

    /// Reads and parses the file at `path`, inflating it first when it is gzip.
    public static func load(path: String, limit: Int = defaultLimit) throws -> IDXFile {
        try IDXFile(bytes: FileIO.readAll(path), file: path, limit: limit)
    }

    /// Parses IDX bytes, raw or gzipped. `file` names the source in errors.
    public init(bytes: [UInt8], file: String = "<memory>", limit: Int = defaultLimit) throws {
        if Gzip.isGzip(bytes) {
            try self.init(raw: Gzip.decompress(bytes, file: file, limit: limit), file: file)
        } else {
            try self.init(raw: bytes, file: file)
        }
    }

    /// Parses uncompressed IDX bytes: magic 00 00 <type> <ndims>, ndims big-endian UInt32 sizes, data.
    public init(raw bytes: [UInt8], file: String = "<memory>") throws {
        guard bytes.count >= 4 else { throw IDXError.truncated(file: file, expected: 4, actual: bytes.count) }
        guard bytes[0] == 0, bytes[1] == 0 else { throw IDXError.badMagic(file: file, bytes: Array(bytes[0..<4])) }
        guard let type = IDXElementType(rawValue: bytes[2]) else { throw IDXError.unknownType(file: file, code: bytes[2]) }
        let rank = Int(bytes[3])
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw IDXError.truncated(file: file, expected: headerSize, actual: bytes.count)
        }
        let dimensions = (0..<rank).map { Int(Self.bigEndianUInt32(bytes, at: 4 + 4 * $0)) }
        var total = type.size
        for dimension in dimensions {
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw IDXError.dimensionOverflow(file: file, dimensions: dimensions) }
            total = product
        }
        let (expected, overflow) = total.addingReportingOverflow(headerSize)
        guard !overflow else { throw IDXError.dimensionOverflow(file: file, dimensions: dimensions) }
        guard bytes.count >= expected else { throw IDXError.truncated(file: file, expected: expected, actual: bytes.count) }
        guard bytes.count == expected else {
            throw IDXError.trailingBytes(file: file, expected: expected, actual: bytes.count)
        }
        self.elementType = type
        self.dimensions = dimensions
        self.data = Self.decode(bytes, from: headerSize, type: type, count: total / type.size)
    }

    /// Every element as a Double, whatever the element type (for inspection and tests).
    public func doubles() -> [Double] {
        switch data {
        case .ubyte(let values): return values.map(Double.init)
        case .byte(let values): return values.map(Double.init)
        case .short(let values): return values.map(Double.init)
        case .int(let values): return values.map(Double.init)
        case .float(let values): return values.map(Double.init)
        case .double(let values): return values
        }
    }

    static func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
