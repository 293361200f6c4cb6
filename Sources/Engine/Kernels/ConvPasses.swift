// Float conv layers of several input channels: im2col + gemm as before, but one chunk of samples at a time, so
// the passes split over threads by samples (the chunks write disjoint rows) and a chunk's patches are still in
// L2 when its gemm reads them, or when col2im adds its patch gradients back. The weight gradient, a sum over
// every sample, is summed per chunk into its own partial and the partials then in chunk order; the chunks
// depend only on the shape, so the bits are the same on any number of threads.

enum ConvPasses {
    /// About this many bytes of patches per chunk of the forward pass and the input gradient.
    static let patchBytesPerChunk = 1 << 19
    /// About this many patch rows (the gemm's k) per chunk of the weight gradient.
    static let gradientRowsPerChunk = 4096

    static func samplesPerChunk(_ g: ConvGeometry) -> Int {
        max(1, patchBytesPerChunk / MemoryLayout<Float>.stride / g.patch / g.output.positions)
    }

    static func gradientSamplesPerChunk(_ g: ConvGeometry) -> Int { max(1, gradientRowsPerChunk / g.output.positions) }

    static func chunks(rows: Int, samples: Int) -> Int { (rows + samples - 1) / samples }

    /// Scalars of the weight-gradient partials for `rows` samples: (F · patch + F) per chunk, none for one chunk.
    static func partialCount(_ g: ConvGeometry, rows: Int) -> Int {
        let chunks = chunks(rows: rows, samples: gradientSamplesPerChunk(g))
        return chunks > 1 ? chunks * (g.output.channels * g.patch + g.output.channels) : 0
    }

    /// A layer output (rows, OH·OW·F) seen as one row per output position (rows·OH·OW, F).
    static func byPosition(_ y: Matrix<Float>, _ g: ConvGeometry) -> Matrix<Float> {
        Matrix(base: y.base, rows: y.rows * g.output.positions, columns: g.output.channels)
    }

    /// The samples of chunk `chunk` of `samples` each, of `rows` in all.
    static func range(_ chunk: Int, samples: Int, rows: Int) -> Range<Int> {
        chunk * samples..<min(rows, (chunk + 1) * samples)
    }

    /// The patch rows of samples `range`.
    static func patchRows(_ patches: Matrix<Float>, _ range: Range<Int>, _ g: ConvGeometry) -> Matrix<Float> {
        patches.rows(range.lowerBound * g.output.positions..<range.upperBound * g.output.positions)
    }

    /// y = activation(patches(x) · Wᵀ + b), gathering each chunk's patches into `patches` (rows · positions, patch).
    struct Forward {
        let g: ConvGeometry
        let x: Matrix<Float>, y: Matrix<Float>, patches: Matrix<Float>
        let weight: Matrix<Float>, bias: Matrix<Float>
        let activation: Gemm.Activation

        var chunks: Int { ConvPasses.chunks(rows: x.rows, samples: samplesPerChunk(g)) }

        func run(chunk: Int) {
            let range = ConvPasses.range(chunk, samples: samplesPerChunk(g), rows: x.rows)
            let p = patchRows(patches, range, g)
            Im2Col.gather(x.rows(range), g, into: p)
            MatrixProduct.affine(p, weight, bias: bias, activation: activation, into: byPosition(y.rows(range), g),
                                 threads: 1)
        }
    }

    /// Per chunk, dZᵀ · patches and the column sums of dZ into the chunk's partial (or into dW and dB when
    /// there is one chunk); `gather`: the chunk's patches are gathered first (else they are still there).
    struct WeightGradient {
        let g: ConvGeometry
        let x: Matrix<Float>, dZ: Matrix<Float>, patches: Matrix<Float>
        let gather: Bool
        let dW: Matrix<Float>, dB: Matrix<Float>
        let partials: UnsafeMutablePointer<Float>

        var chunks: Int { ConvPasses.chunks(rows: x.rows, samples: gradientSamplesPerChunk(g)) }

        func run(chunk: Int) {
            let range = ConvPasses.range(chunk, samples: gradientSamplesPerChunk(g), rows: x.rows)
            let p = patchRows(patches, range, g)
            if gather { Im2Col.gather(x.rows(range), g, into: p) }
            let f = g.output.channels, size = f * g.patch + f
            let w = chunks == 1 ? dW : Matrix(base: partials + chunk * size, rows: f, columns: g.patch)
            let b = chunks == 1 ? dB : Matrix(base: partials + chunk * size + f * g.patch, rows: 1, columns: f)
            let dz = byPosition(dZ.rows(range), g)
            MatrixProduct.multiply(dz, p, into: w, transposeA: true, threads: 1)
            Elementwise.columnSums(dz, into: b)
        }

        /// dW and dB = the partials summed in chunk order (nothing to do for one chunk).
        func reduce() {
            let chunks = chunks
            guard chunks > 1 else { return }
            let f = g.output.channels, size = f * g.patch + f
            let w = dW.base, b = dB.base
            w.update(from: partials, count: f * g.patch)
            b.update(from: partials + f * g.patch, count: f)
            for c in 1..<chunks {
                let part = partials + c * size
                for k in 0..<(f * g.patch) { w[k] += part[k] }
                for k in 0..<f { b[k] += part[f * g.patch + k] }
            }
        }
    }

    /// dX = col2im(dZ · W), chunk by chunk through the chunk's rows of `patches`; then, when given, the gate
    /// of the layer below on the chunk's rows of dX (`Elementwise.gate`, as the network would apply it).
    struct InputGradient {
        let g: ConvGeometry
        let dZ: Matrix<Float>, dX: Matrix<Float>, patches: Matrix<Float>
        let weight: Matrix<Float>
        let gate: Matrix<Float>?
        let gateActivation: Gemm.Activation

        var chunks: Int { ConvPasses.chunks(rows: dX.rows, samples: samplesPerChunk(g)) }

        func run(chunk: Int) {
            let range = ConvPasses.range(chunk, samples: samplesPerChunk(g), rows: dX.rows)
            let p = patchRows(patches, range, g), dx = dX.rows(range)
            MatrixProduct.multiply(byPosition(dZ.rows(range), g), weight, into: p, threads: 1)
            Im2Col.scatter(p, g, into: dx)
            if let gate { Elementwise.gate(dx, by: gate.rows(range), activation: gateActivation) }
        }
    }
}
