// Tests of Split: float conversion, per-image access, label counts, and the checks made when loading.
import Testing
@testable import IDX

@Suite struct SplitTests {
    private let split = Split(rows: 1, columns: 3, pixels: [0, 128, 255, 10, 20, 30], labels: [3, 9])

    @Test func images_convertEveryPixelInOrder() {
        let expected: [Float] = [0, 128, 255, 10, 20, 30].map { $0 / 255 }
        #expect(split.images(.unit) == expected)
        let standardized = split.images(.standardize)
        #expect(standardized.count == 6)
        #expect(abs(standardized[2] - (1 - 0.1307) / 0.3081) < 1e-6)
    }

    @Test func image_returnsOneNormalizedImage() {
        #expect(split.image(1, .unit) == [Float(10) / 255, Float(20) / 255, Float(30) / 255])
        #expect(split.pixelsPerImage == 3)
    }

    @Test func labelCounts_countsEachClass() {
        #expect(split.labelCounts() == [0, 0, 0, 1, 0, 0, 0, 0, 0, 1])
    }

    @Test func init_rejectsMismatchedCounts() throws {
        let images = try IDXFile(bytes: Fixtures.idx(.ubyte, [2, 1, 1], payload: [1, 2]))
        let labels = try IDXFile(bytes: Fixtures.idx(.ubyte, [3], payload: [1, 2, 3]))
        #expect(throws: IDXError.countMismatch(images: "i", labels: "l", imageCount: 2, labelCount: 3)) {
            try Split(images: images, labels: labels, imagesName: "i", labelsName: "l")
        }
    }

    @Test func init_rejectsALabelOutOfRange() throws {
        let images = try IDXFile(bytes: Fixtures.idx(.ubyte, [3, 1, 1], payload: [1, 2, 3]))
        let labels = try IDXFile(bytes: Fixtures.idx(.ubyte, [3], payload: [9, 10, 0]))
        #expect(throws: IDXError.labelOutOfRange(file: "l", index: 1, label: 10, classes: 10)) {
            try Split(images: images, labels: labels, imagesName: "i", labelsName: "l")
        }
    }

    @Test func init_rejectsFilesOfTheWrongTypeOrRank() throws {
        let floats = try IDXFile(bytes: Fixtures.idx(.float, [1, 1, 1], payload: [0, 0, 0, 0]))
        let labels = try IDXFile(bytes: Fixtures.idx(.ubyte, [1], payload: [0]))
        #expect(throws: IDXError.wrongShape(file: "i", expected: "ubyte images of 3 dimensions", actual: "float of 3 dimensions [1, 1, 1]")) {
            try Split(images: floats, labels: labels, imagesName: "i", labelsName: "l")
        }
        let images = try IDXFile(bytes: Fixtures.idx(.ubyte, [1, 1, 1], payload: [0]))
        #expect(throws: IDXError.wrongShape(file: "l", expected: "ubyte labels of 1 dimension", actual: "ubyte of 3 dimensions [1, 1, 1]")) {
            try Split(images: images, labels: images, imagesName: "i", labelsName: "l")
        }
        let empty = try IDXFile(bytes: Fixtures.idx(.ubyte, [1, 0, 28], payload: []))
        #expect(throws: IDXError.wrongShape(file: "i", expected: "images of at least 1×1 pixels", actual: "0×28")) {
            try Split(images: empty, labels: labels, imagesName: "i", labelsName: "l")
        }
    }
}
