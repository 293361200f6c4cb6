// Turns a prediction request body (PNG or PGM, exactly 28×28) into 784 greyscale bytes, row-major.
// Colour becomes luminance (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B). Alpha is composited on BLACK:
// MNIST digits are white ink on a black background, so a transparent pixel means "no ink" (0).
import Foundation

/// Decodes PNG and PGM images of MNIST's size.
public enum ImageDecoder {
    /// Image side length in pixels; the decoded buffer holds `side * side` bytes.
    public static let side = 28

    /// Media types the decoder accepts, for `415` answers and the OpenAPI document.
    public static let mediaTypes = ["image/png", "image/x-portable-graymap"]

    /// Decodes `data` to 784 values in 0...255 (row-major, 0 = background). The format is sniffed from
    /// the first bytes, so a wrong or missing Content-Type does not matter.
    public static func decode(_ data: Data) throws -> [UInt8] {
        let bytes = [UInt8](data)
        switch format(of: data) {
        case .png: return try PNGDecoder.decode(bytes)
        case .pgm: return try PGMDecoder.decode(bytes)
        case nil: break
        }
        if bytes.count < PNGDecoder.signature.count, PNGDecoder.signature.starts(with: bytes), !bytes.isEmpty {
            throw ImageError.truncated("the PNG signature")
        }
        throw ImageError.badSignature
    }

    enum Format { case png, pgm }

    /// The format `data` starts as: the PNG signature, or a PGM's "P5"/"P2" and whitespace.
    static func format(of data: Data) -> Format? {
        if data.starts(with: PNGDecoder.signature) { return .png }
        guard data.count >= 3, data[data.startIndex] == UInt8(ascii: "P") else { return nil }
        let kind = data[data.startIndex + 1], next = data[data.startIndex + 2]
        return (kind == UInt8(ascii: "5") || kind == UInt8(ascii: "2")) && [9, 10, 13, 32].contains(next) ? .pgm : nil
    }

    /// Whether `data` starts as a PNG or a PGM does (`curl --data-binary @digit.png` without `-H` sends no
    /// image type: such a body is still an image).
    public static func looksLikeImage(_ data: Data) -> Bool { format(of: data) != nil }

    /// Throws `wrongSize` unless the image is 28×28.
    static func checkSize(width: Int, height: Int) throws {
        guard width == side, height == side else { throw ImageError.wrongSize(width: width, height: height) }
    }

    /// BT.601 luminance of 8-bit RGB, rounded.
    static func luminance(_ r: Int, _ g: Int, _ b: Int) -> Int {
        (299 * r + 587 * g + 114 * b + 500) / 1000
    }

    /// `value` (0...255) composited over black with `alpha` (0...255), rounded.
    static func overBlack(_ value: Int, alpha: Int) -> Int {
        (value * alpha + 127) / 255
    }
}
