// Pooling over a Float batch, a chunk of samples at a time, for BatchTask to split over threads. Samples are
// independent, so the bits do not depend on the chunking; the gate of the layer below (backward) is applied to
// each chunk's rows right after they are written, as `Elementwise.gate` over the whole batch would.

extension Pooling {
    static let samplesPerChunk = 8

    struct Chunks {
        enum Kind { case maxForward, maxBackward, averageForward, averageBackward }
        let kind: Kind
        let g: PoolGeometry
        /// Forward: x and y; backward: dY and dX.
        let source: Matrix<Float>, destination: Matrix<Float>
        /// Max pooling's first-maximum offsets (written forward, read backward; Pooling+Float), shaped like y.
        let argmax: Matrix<Float>?
        /// Backward: the outputs of the layer below (shaped like dX) and their activation, whose derivative
        /// gates dX; nil: no gate.
        let gate: Matrix<Float>?
        let gateActivation: Gemm.Activation

        var chunks: Int { (source.rows + samplesPerChunk - 1) / samplesPerChunk }

        func run(chunk: Int) {
            let range = chunk * samplesPerChunk..<min(source.rows, (chunk + 1) * samplesPerChunk)
            let from = source.rows(range), to = destination.rows(range)
            switch kind {
            case .maxForward:
                if let argmax { maxForward(from, g, into: to, offsets: argmax.rows(range)) } else { maxForward(from, g, into: to) }
            case .maxBackward: maxBackward(from, offsets: argmax!.rows(range), g, into: to)
            case .averageForward: averageForward(from, g, into: to)
            case .averageBackward: averageBackward(from, g, into: to)
            }
            if let gate { Elementwise.gate(to, by: gate.rows(range), activation: gateActivation) }
        }
    }
}
