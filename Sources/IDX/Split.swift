// Split: one half of a dataset (train or test): raw pixels and labels, and their float32 conversion.

/// `count` greyscale images of `rows`×`columns` with one label each.
public struct Split: Sendable {
    /// Number of images.
    public let count: Int
    public let rows: Int
    public let columns: Int
    /// count × rows × columns, row-major, raw 0...255.
    public let pixels: [UInt8]
    /// count labels.
    public let labels: [UInt8]

    /// Pixels per image (rows · columns).
    public var pixelsPerImage: Int { rows * columns }

    /// A split from raw arrays; `pixels.count` must be `labels.count × rows × columns`.
    public init(rows: Int, columns: Int, pixels: [UInt8], labels: [UInt8]) {
        precondition(rows > 0 && columns > 0, "rows and columns must be positive")
        precondition(pixels.count == labels.count * rows * columns, "pixels must hold labels.count × rows × columns values")
        self.count = labels.count
        self.rows = rows
        self.columns = columns
        self.pixels = pixels
        self.labels = labels
    }

    /// count × (rows·columns) float32 pixels, normalized as asked.
    public func images(_ normalization: Normalization) -> [Float] {
        [Float](unsafeUninitializedCapacity: pixels.count) { output, initialized in
            pixels.withUnsafeBufferPointer { normalization.convert($0, into: output) }
            initialized = pixels.count
        }
    }

    /// Image `index` as rows·columns float32 pixels, normalized as asked.
    public func image(_ index: Int, _ normalization: Normalization) -> [Float] {
        precondition((0..<count).contains(index), "image index \(index) outside 0..<\(count)")
        let size = pixelsPerImage
        return pixels[(index * size)..<((index + 1) * size)].map(normalization.value)
    }

    /// Images per label value (index = label), for labels below `classes`.
    public func labelCounts(classes: Int = 10) -> [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for label in labels where Int(label) < classes { counts[Int(label)] += 1 }
        return counts
    }
}
