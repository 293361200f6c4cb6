// A stride-1 convolution over a single input channel (the first layer of an MNIST CNN), computed directly
// instead of as im2col + gemm. Its patches have a single channel, so im2col copies runs of kw scalars (5 for
// LeNet-5: most of the time went to the loop around those copies), and the gemm has only `filters` columns
// (6: a quarter-width strip with partial writes). Here the image is instead *expanded*: every pixel of the
// zero-padded image repeated `filters` times, so that output row (n, oy), stored (ox, f) like the layer's
// output, is a sum over kernel taps (ky, kx) of a shifted run of an expanded row times a run of the tap's
// weights tiled with period `filters`, all with 16-lane vectors over the row. No patch matrix is written; the
// weight gradient runs over the same expanded rows. Float only (Double takes the im2col path).

enum SingleChannelConv {
    /// Samples per chunk, the unit split over threads: the number of chunks depends only on the batch size, so
    /// the weight gradient (summed per chunk, then over chunks in order) has the same bits on any thread count.
    static let samplesPerChunk = 8
    static let lanes = 16
    /// Vectors per group of an output row that the kernels compute at once (rows are padded to whole groups).
    static let group = 4

    /// Whether `g` takes this path.
    static func applies(_ g: ConvGeometry) -> Bool {
        g.input.channels == 1 && g.stride.height == 1 && g.stride.width == 1
    }

    /// The lengths of the buffers, from the geometry.
    struct Layout {
        let g: ConvGeometry
        /// Scalars of one output row (OW · F) and that rounded up to whole groups of vectors.
        let row: Int, paddedRow: Int
        /// Row stride and row count of the expanded image (OH + KH − 1 rows, each at least
        /// (OW + KW − 1) · F scalars, with room for the last vector of the last tap).
        let expandedStride: Int, expandedRows: Int
        let taps: Int

        init(_ g: ConvGeometry) {
            self.g = g
            let f = g.output.channels
            row = g.output.width * f
            let width = SingleChannelConv.lanes * SingleChannelConv.group
            paddedRow = (row + width - 1) / width * width
            expandedStride = paddedRow + (g.kernel.width - 1) * f
            expandedRows = g.output.height + g.kernel.height - 1
            taps = g.kernel.height * g.kernel.width
        }

        /// The expanded image, and a vector of slack for `expand`'s last stores.
        var expandedCount: Int { expandedRows * expandedStride + SingleChannelConv.lanes }
        /// The weight table (one tiled row per tap) and the tiled bias.
        var tableCount: Int { (taps + 1) * paddedRow }
        /// Per chunk of the weight gradient: the tiled sums per tap and for the bias, one sample's expanded
        /// image and its output gradient with each row padded to whole vectors.
        var gradientChunkCount: Int { tableCount + expandedCount + g.output.height * paddedRow }

        static func chunks(rows: Int) -> Int { (rows + samplesPerChunk - 1) / samplesPerChunk }

        /// Scalars of scratch that the forward pass and the weight gradient of `rows` samples need.
        func scratchCount(rows: Int) -> Int {
            let chunks = Layout.chunks(rows: rows)
            return max(tableCount + chunks * expandedCount, chunks * gradientChunkCount)
        }
    }

    /// Writes `out[r · stride + c · F + f]` = x(r − padTop, c − padLeft) of sample `image` for every expanded
    /// row r and padded column c inside the image. The rest (padding) must be zero already: `out` was zeroed
    /// once, and every call writes the same positions, and zeros the vector after each row that its last
    /// store ran into.
    @inline(__always)
    static func expand(_ image: UnsafePointer<Float>, _ layout: Layout, into out: UnsafeMutablePointer<Float>) {
        let g = layout.g, f = g.output.channels, h = g.input.height, w = g.input.width
        for iy in 0..<h {
            let src = image + iy * w, dst = out + (iy + g.padTop) * layout.expandedStride + g.padLeft * f
            for ix in 0..<w {
                let value = SIMD16<Float>(repeating: src[ix]), p = dst + ix * f
                var k = 0
                while k < f { storeVector(value, p + k); k += lanes }
            }
            // The last store ran up to a vector past the row; the next row is written after this one.
            storeVector(SIMD16<Float>(), dst + w * f)
        }
    }

    /// `value ≤ 0 → 0` (relu) or `slope · value` (leaky), lane by lane as the gemm's epilogue does it.
    @inline(__always)
    static func activate(_ v: SIMD16<Float>, _ activation: Gemm.Activation) -> SIMD16<Float> {
        switch activation {
        case .identity: return v
        case .relu: return select(nonPositiveLanes(v), SIMD16<Float>(), v)
        case .leakyRelu(let slope): return select(nonPositiveLanes(v), v * slope, v)
        }
    }
}
