// A training step's passes spread over the pool by data instead of gemm by gemm. A small network's gemms are
// too short to split well (a 128×100×100 product is ~10 µs; handing half to a helper costs a good part of
// that), so a step makes two parallel regions instead of one per product:
//   1. rows: each thread gathers a slice of the minibatch and takes it through the whole forward pass, the
//      output gradient and backprop of dL/dz down to the first layer (row i needs only row i);
//   2. gradients: the weight gradients dW = dZᵀ·x of every layer, cut into column strips and dealt out by
//      work; one share also takes the bias sums and the loss.
// Each number is computed by the same arithmetic in the same order as in the one-thread step (slices of
// columns start at the kernel's strip width; sums over the batch are never split), so a step's result is
// bit-identical for any number of threads.

/// The forward and backward passes of one Float network over its training workspace, on up to `threads` cores.
final class DataParallelStep: ParallelTask {
    private enum Phase { case rows, gradients }

    /// Networks with at least this many parameters keep splitting each gemm: their products are long enough.
    static let parameterLimit = 1 << 19
    /// Fewest samples a thread's slice should have; fewer and the row phase is mostly overhead.
    static let minimumRowsPerThread = 16

    private let network: Network<Float>
    private let workspace: Workspace<Float>
    /// The first layer's sparse path, when the trainer takes it.
    private let input: SparseInput?
    /// Phase 2's work items in order: unit 0 is the biases and loss (layer −1), then column strips of every
    /// layer's dW (layer, columns), with the running total of multiply-adds per sample where each unit starts.
    private let strips: [(layer: Int, columns: Range<Int>)]
    private let workStart: [Int]
    private let totalWork: Int
    /// Copies the samples of a slice of the batch into the workspace, given the slice and its number (set once
    /// by the trainer; nil: the workspace already holds the batch).
    var gather: ((Range<Int>, Int) -> Void)?
    private var phase = Phase.rows
    private var rows = 0
    /// Slices of the row phase of the step in progress.
    private var rowShares = 1
    private var loss: Float = 0

    /// Whether a step of `rows` samples on `threads` cores should go by data rather than by gemm.
    static func pays(parameterCount: Int, rows: Int, threads: Int) -> Bool {
        threads >= 2 && parameterCount < parameterLimit && rows >= minimumRowsPerThread * threads
    }

    init(network: Network<Float>, workspace: Workspace<Float>, input: SparseInput? = nil) {
        self.network = network
        self.workspace = workspace
        self.input = input
        var strips: [(layer: Int, columns: Range<Int>)] = [(-1, 0..<0)]
        // The biases (Σ outputs adds per sample) and the loss (a few exps per class) as one unit.
        var workStart = [0]
        var work = network.denseLayers.reduce(0) { $0 + $1.outputs } + 8 * network.spec.outputs
        for (l, layer) in network.denseLayers.enumerated() {
            // The sparse path's cost per pixel is about twice its share of lit pixels of the dense one's.
            let scale = l == 0 ? input.map { min(1, 2 * $0.density) } ?? 1 : 1
            for start in stride(from: 0, to: layer.inputs, by: Gemm.nr) {
                let columns = start..<min(layer.inputs, start + Gemm.nr)
                strips.append((l, columns))
                workStart.append(work)
                work += Int((Double(layer.outputs * columns.count) * scale).rounded(.up))
            }
        }
        self.strips = strips
        self.workStart = workStart
        totalWork = work
    }

    /// Forward pass, loss and every gradient for the first `rows` samples of the workspace, as
    /// `Network.backward` after `Network.forward` computes them. Returns the mean loss.
    func run(rows: Int, threads: Int) -> Float {
        self.rows = rows
        let pool = ThreadPool.shared
        let threads = threads > 0 ? threads : pool.maxThreads
        phase = .rows
        input?.prepareForward()
        pool.parallelRegion(threads: threads, chunkCount: {
            rowShares = min($0, max(1, rows / Self.minimumRowsPerThread))
            return rowShares
        }, task: self)
        input?.finishStaging(workspace.g[0].prefix(rows: rows), slots: rowShares)
        // Several shares per thread: whoever finishes first takes up a late helper's slack.
        phase = .gradients
        pool.parallelRegion(threads: threads, chunkCount: { $0 == 1 ? 1 : min(4 * $0, strips.count) }, task: self)
        return loss
    }

    /// The same step with its phases cut into `rowShares` and `gradientShares` run in turn on this thread:
    /// what the pool does with any number of threads, made repeatable for tests.
    func runSerially(rows: Int, rowShares: Int, gradientShares: Int) -> Float {
        self.rows = rows
        phase = .rows
        self.rowShares = rowShares
        input?.prepareForward()
        for share in 0..<rowShares { run(chunk: share, of: rowShares) }
        input?.finishStaging(workspace.g[0].prefix(rows: rows), slots: rowShares)
        phase = .gradients
        for share in 0..<gradientShares { run(chunk: share, of: gradientShares) }
        return loss
    }

    func run(chunk: Int, of count: Int) {
        switch phase {
        case .rows: backpropagate(rows: rows * chunk / count..<rows * (chunk + 1) / count, share: chunk)
        case .gradients: parameterGradients(share: chunk, of: count)
        }
    }

    /// Phase 1 for one slice of the batch, share `share` of the phase: forward, output gradient, dL/dz of every
    /// layer.
    private func backpropagate(rows slice: Range<Int>, share: Int) {
        gather?(slice, share)
        guard !slice.isEmpty else { return }
        network.forward(workspace, rows: slice, threads: 1, input: input)
        network.outputGradient(workspace, rows: slice, batchRows: rows)
        for l in stride(from: network.denseLayers.count - 1, to: 0, by: -1) {
            network.inputGradient(workspace, layer: l, rows: slice, threads: 1)
        }
        input?.stageGradient(workspace.g[0].rows(slice), rows: slice)
    }

    /// Phase 2 for the units whose work starts in this share's part of the total; neighbouring strips of one
    /// layer go to the gemm as one product.
    private func parameterGradients(share: Int, of count: Int) {
        let low = totalWork * share / count, high = totalWork * (share + 1) / count
        var unit = 0
        while unit < strips.count && workStart[unit] < low { unit += 1 }
        while unit < strips.count && workStart[unit] < high {
            let layer = strips[unit].layer
            if layer < 0 {
                biasesAndLoss()
                unit += 1
                continue
            }
            let first = strips[unit].columns.lowerBound
            var last = strips[unit].columns.upperBound
            unit += 1
            while unit < strips.count && strips[unit].layer == layer && workStart[unit] < high {
                last = strips[unit].columns.upperBound
                unit += 1
            }
            if layer == 0, let input {
                input.weightGradient(pixels: first..<last, into: network.denseLayers[0].dW)
                continue
            }
            let x = layer == 0 ? workspace.input : workspace.a[layer - 1]
            MatrixProduct.weightGradient(workspace.g[layer].prefix(rows: rows), x.prefix(rows: rows),
                                         into: network.denseLayers[layer].dW, columns: first..<last)
        }
    }

    private func biasesAndLoss() {
        for (l, layer) in network.denseLayers.enumerated() {
            Elementwise.columnSums(workspace.g[l].prefix(rows: rows), into: layer.dB)
        }
        loss = network.loss(workspace, rows: rows)
    }
}

extension DataParallelStep: @unchecked Sendable {}
