// Loading a Split from an images file and a labels file, checking their shapes, counts and label range.

extension Split {
    /// Loads `images` (ubyte, 3 dimensions) and `labels` (ubyte, 1 dimension), raw or gzipped,
    /// requiring equal counts and every label in `0..<classes`.
    public static func load(images: String, labels: String, classes: Int = 10) throws -> Split {
        try Split(images: IDXFile.load(path: images), labels: IDXFile.load(path: labels),
                  imagesName: images, labelsName: labels, classes: classes)
    }

    /// A split from parsed files; the names are used in errors.
    public init(images: IDXFile, labels: IDXFile, imagesName: String, labelsName: String, classes: Int = 10) throws {
        guard case .ubyte(let pixels) = images.data, images.dimensions.count == 3 else {
            throw IDXError.wrongShape(file: imagesName, expected: "ubyte images of 3 dimensions",
                                      actual: "\(images.elementType) of \(images.dimensions.count) dimensions \(images.dimensions)")
        }
        guard case .ubyte(let values) = labels.data, labels.dimensions.count == 1 else {
            throw IDXError.wrongShape(file: labelsName, expected: "ubyte labels of 1 dimension",
                                      actual: "\(labels.elementType) of \(labels.dimensions.count) dimensions \(labels.dimensions)")
        }
        let (count, rows, columns) = (images.dimensions[0], images.dimensions[1], images.dimensions[2])
        guard rows > 0, columns > 0 else {
            throw IDXError.wrongShape(file: imagesName, expected: "images of at least 1×1 pixels", actual: "\(rows)×\(columns)")
        }
        guard count == values.count else {
            throw IDXError.countMismatch(images: imagesName, labels: labelsName, imageCount: count, labelCount: values.count)
        }
        if let index = values.firstIndex(where: { Int($0) >= classes }) {
            throw IDXError.labelOutOfRange(file: labelsName, index: index, label: Int(values[index]), classes: classes)
        }
        self.init(rows: rows, columns: columns, pixels: pixels, labels: values)
    }
}
