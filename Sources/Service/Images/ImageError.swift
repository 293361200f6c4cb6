// Why an uploaded image could not be turned into 28×28 greyscale pixels; each case says what is wrong.
import Foundation

/// A malformed or unsupported prediction image.
public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Neither a PNG signature nor a PGM magic (`P5`/`P2`) at the start.
    case badSignature
    /// A PNG chunk whose stored CRC does not match its contents.
    case badCRC(chunk: String)
    case wrongSize(width: Int, height: Int)
    case unsupportedBitDepth(depth: Int, colorType: Int)
    case unsupportedColorType(Int)
    case unsupportedCompression(String)
    /// The data ends before `what` is complete.
    case truncated(String)
    /// Structurally wrong: missing chunk, bad header field, undecodable compressed data...
    case malformed(String)

    /// A one-sentence explanation for the client.
    public var message: String {
        switch self {
        case .badSignature:
            return "not a PNG or PGM image: the body must start with the PNG signature or 'P5'/'P2'"
        case .badCRC(let chunk):
            return "PNG chunk \(chunk) fails its CRC check: the file is corrupt"
        case let .wrongSize(width, height):
            return "wrong image size: got \(width)×\(height), need 28×28"
        case let .unsupportedBitDepth(depth, colorType):
            return "unsupported bit depth \(depth) for PNG color type \(colorType)"
        case .unsupportedColorType(let type):
            return "unsupported PNG color type \(type)"
        case .unsupportedCompression(let what):
            return "unsupported \(what)"
        case .truncated(let what):
            return "truncated image: \(what) is incomplete"
        case .malformed(let what):
            return "malformed image: \(what)"
        }
    }

    public var description: String { message }
}
