// Byte images stored by their nonzero pixels (compressed sparse rows): built once per trainer, so that a
// minibatch reads each image's ~150 lit pixels in one straight pass instead of searching 784 bytes for them
// (a search whose data-dependent branches, mispredicted, also cancel the loads it has in flight).

/// count images of `inputs` bytes each; image i's nonzero pixels are entries offsets[i] ..< offsets[i + 1],
/// in pixel order: position `pixel[e]`, value `byte[e]`.
struct SparseImages {
    let count: Int
    let inputs: Int
    let offsets: [Int]
    let pixel: [UInt16]
    let byte: [UInt8]

    /// The nonzero pixels of `pixels` (count × inputs bytes, row-major). `inputs` ≤ 65536.
    init(pixels: [UInt8], inputs: Int) {
        precondition(inputs > 0 && inputs <= 1 << 16 && pixels.count % inputs == 0, "sparse images shape")
        self.inputs = inputs
        let count = pixels.count / inputs
        self.count = count
        var nonzero = 0
        for value in pixels where value != 0 { nonzero += 1 }
        var offsets = [Int](repeating: 0, count: count + 1)
        var pixel = [UInt16](repeating: 0, count: nonzero)
        var byte = [UInt8](repeating: 0, count: nonzero)
        pixels.withUnsafeBufferPointer { source in
            pixel.withUnsafeMutableBufferPointer { pixel in
                byte.withUnsafeMutableBufferPointer { byte in
                    var e = 0
                    for image in 0..<count {
                        offsets[image] = e
                        let row = source.baseAddress! + image * inputs
                        for p in 0..<inputs where row[p] != 0 {
                            pixel[e] = UInt16(truncatingIfNeeded: p)
                            byte[e] = row[p]
                            e += 1
                        }
                    }
                    offsets[count] = e
                }
            }
        }
        self.offsets = offsets
        self.pixel = pixel
        self.byte = byte
    }

    /// Share of nonzero pixels.
    var density: Double { Double(pixel.count) / Double(max(1, count * inputs)) }
}
