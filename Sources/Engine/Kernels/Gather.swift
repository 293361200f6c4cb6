// Copying samples out of a data set array into a workspace matrix: the minibatch gather.

enum Gather {
    /// x[r] = images[indices[start + r]] for r in 0..<x.rows; images is (count, x.columns) row-major.
    static func rows<T: EngineScalar>(of images: [T], indices: [Int32], start: Int, into x: Matrix<T>) {
        precondition(start + x.rows <= indices.count)
        let width = x.columns
        images.withUnsafeBufferPointer { source in
            for r in 0..<x.rows {
                let index = Int(indices[start + r])
                precondition((index + 1) * width <= source.count, "sample \(index) outside the data set")
                copy(source.baseAddress! + index * width, to: x.base + r * width, count: width)
            }
        }
    }

    /// x[r] = value(pixels[indices[start + r]]) for r in 0..<x.rows, with `TrainingImages.value`'s arithmetic,
    /// written as a plain loop over pointers so that the compiler vectorizes it.
    static func rows(ofPixels pixels: [UInt8], mean: Float, deviation: Float, indices: [Int32], start: Int,
                     into x: Matrix<Float>) {
        precondition(start + x.rows <= indices.count)
        let width = x.columns
        // The 0...1 scale (mean 0, deviation 1) skips the two float divisions, which bound this loop: b / 255
        // rounded from a double product is the correctly rounded quotient for every byte (b / 255 is never
        // within the product's 2^-52 error of a float rounding boundary; tested for all 256 values).
        let unit = mean == 0 && deviation == 1
        pixels.withUnsafeBufferPointer { source in
            for r in 0..<x.rows {
                let index = Int(indices[start + r])
                precondition((index + 1) * width <= source.count, "sample \(index) outside the data set")
                let src = source.baseAddress! + index * width, dst = x.base + r * width
                if unit {
                    for j in 0..<width { dst[j] = Float(Double(src[j]) * (1.0 / 255.0)) }
                } else {
                    for j in 0..<width { dst[j] = (Float(src[j]) / 255 - mean) / deviation }
                }
            }
        }
    }

    /// dst[0..<count] = src[0..<count] in 64-byte vectors: for rows of a few KB, glibc's memmove takes `rep
    /// movsb`, which profiled slower here than plain vector copies.
    @inline(__always)
    private static func copy<T: EngineScalar>(_ src: UnsafePointer<T>, to dst: UnsafeMutablePointer<T>, count: Int) {
        let bytes = count * MemoryLayout<T>.stride
        let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
        var offset = 0
        while offset + 256 <= bytes {
            let v0 = s.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            let v1 = s.loadUnaligned(fromByteOffset: offset + 64, as: SIMD16<Float>.self)
            let v2 = s.loadUnaligned(fromByteOffset: offset + 128, as: SIMD16<Float>.self)
            let v3 = s.loadUnaligned(fromByteOffset: offset + 192, as: SIMD16<Float>.self)
            d.storeBytes(of: v0, toByteOffset: offset, as: SIMD16<Float>.self)
            d.storeBytes(of: v1, toByteOffset: offset + 64, as: SIMD16<Float>.self)
            d.storeBytes(of: v2, toByteOffset: offset + 128, as: SIMD16<Float>.self)
            d.storeBytes(of: v3, toByteOffset: offset + 192, as: SIMD16<Float>.self)
            offset += 256
        }
        (d + offset).copyMemory(from: s + offset, byteCount: bytes - offset)
    }

    /// x[r] = images[start + r]: consecutive samples (evaluation, prediction).
    static func consecutive<T: EngineScalar>(of images: [T], start: Int, into x: Matrix<T>) {
        let width = x.columns
        precondition((start + x.rows) * width <= images.count)
        images.withUnsafeBufferPointer { source in
            (x.base).update(from: source.baseAddress! + start * width, count: x.rows * width)
        }
    }
}
