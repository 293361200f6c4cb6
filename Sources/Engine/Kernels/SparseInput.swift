// A Float network's first layer over byte images stored by their nonzero pixels: the forward product and dW
// cost in proportion to the lit pixels (19% of MNIST's) instead of all of them. Pixel b enters as c + s(b),
// where c = value(0) and s(0) = 0, so with x the minibatch's inputs
//   x·Wᵀ = c·Σ_k W[:, k] + Σ_{k: b ≠ 0} s(b)·W[:, k]        (per sample, over its lit pixels k)
//   dW[:, k] = c·Σ_i dZ[i, :] + Σ_{i: b ≠ 0} s(b)·dZ[i, :]   (per pixel, over the samples where it is lit)
// c is 0 on the default 0...1 scale. Each sum runs in index order on one accumulator chain, so a result does
// not depend on how rows or pixels are split over threads.

/// The sparse path of one trainer's first layer: its images, its minibatch capacity, its scratch.
final class SparseInput: ParallelTask {
    /// Training sets with at most this share of nonzero pixels take the sparse path. Measured one-thread step
    /// times, sparse against dense, cross at 0.39 (784-100×4-10) and 0.36 (784-512-512-10): MNIST (0.19) trains
    /// 1.4× / 1.3× faster, Fashion-MNIST (0.50) would train 0.86× / 0.84× as fast and stays dense.
    static let densityLimit = 0.33

    let inputs: Int
    let outputs: Int
    /// `outputs` rounded up to 16: the row length of the transposed weights and of the staged gradient.
    let stride: Int
    /// Share of nonzero pixels in the images.
    var density: Double { images.density }
    /// The image that each minibatch row holds; the trainer's gather fills it, then calls `gathered`.
    let imageOfRow: UnsafeMutablePointer<Int>
    /// Most row slices a step may be gathered in (`gathered(rows:slot:)`).
    let slots: Int
    private let images: SparseImages
    private let layer: Dense<Float>
    private let zeroValue: Float
    private let memory: UnsafeMutableRawPointer
    /// s(b) = value(b) − value(0) for every byte.
    private let table: UnsafeMutablePointer<Float>
    /// Wᵀ (inputs, stride), zero-padded; refreshed from the layer by `prepareForward`.
    private let transposed: UnsafeMutablePointer<Float>
    /// bias + c·Σ_k W[:, k] (stride), the start of every sample's sum.
    private let base: UnsafeMutablePointer<Float>
    /// Layer 0's dZ with rows padded to `stride` (capacity, stride), for a layer whose width is no multiple of 16.
    private let staged: UnsafeMutablePointer<Float>
    /// c·Σ_i dZ[i, :] (stride), the start of every pixel's sum.
    private let constant: UnsafeMutablePointer<Float>
    /// Per slot, the lit samples of its rows by pixel (compressed sparse columns): pixel k's entries are
    /// columnStart[slot · (inputs + 1) + k] ..< [… + k + 1], indices into `litRow` and `litValue`, where the
    /// slot's rows r0 ..< r1 own entries r0 · inputs ..< r1 · inputs.
    private let columnStart: UnsafeMutablePointer<Int32>
    private let litRow: UnsafeMutablePointer<UInt32>
    private let litValue: UnsafeMutablePointer<Float>
    /// What `finishStaging` set: the rows of dZ the gradient reads (stride apart), and the slots in use.
    private var gradientRows: UnsafePointer<Float>
    private var slotsInUse = 0
    /// The slots the last `gatherAll` used.
    private var allSlots = 1
    /// Per slot, a sum of the entries `gathered` touches first: the loads' only use, so that they stay.
    private let touched: UnsafeMutablePointer<UInt32>
    /// The parallel call in progress.
    private enum Phase {
        case idle, gather(Range<Int>), transpose, forward(Range<Int>, Gemm.Activation, Matrix<Float>), gradient(Matrix<Float>)
    }
    private var phase = Phase.idle

    /// The sparse path for `layer` (Float, the network's first) over `pixels` (count × layer.inputs bytes,
    /// each entering as `TrainingImages.value(b, mean:, deviation:)`), or nil when the images are too dense
    /// for it to pay.
    init?(pixels: [UInt8], mean: Float, deviation: Float, layer: Dense<Float>, capacity: Int) {
        inputs = layer.inputs
        outputs = layer.outputs
        guard inputs <= 1 << 16, capacity * inputs < Int(Int32.max), pixels.count > 0, pixels.count % inputs == 0,
              SparseInput.sampledDensity(of: pixels, inputs: inputs) <= SparseInput.densityLimit else { return nil }
        images = SparseImages(pixels: pixels, inputs: inputs)
        stride = (outputs + 15) / 16 * 16
        slots = max(16, ThreadPool.shared.cores)
        self.layer = layer
        zeroValue = TrainingImages.value(0, mean: mean, deviation: deviation)
        // 64-byte aligned, so that every row the kernels read (a multiple of 16 floats) is whole cache lines.
        let floats = 256 + inputs * stride + 2 * stride + capacity * stride + capacity * inputs
        memory = UnsafeMutableRawPointer.allocate(byteCount: floats * 4, alignment: 64)
        memory.initializeMemory(as: Float.self, repeating: 0, count: floats)
        var next = memory.assumingMemoryBound(to: Float.self)
        func carve(_ count: Int) -> UnsafeMutablePointer<Float> {
            defer { next += count }
            return next
        }
        transposed = carve(inputs * stride)
        staged = carve(capacity * stride)
        base = carve(stride)
        constant = carve(stride)
        table = carve(256)
        litValue = carve(capacity * inputs)
        litRow = .allocate(capacity: capacity * inputs)
        columnStart = .allocate(capacity: slots * (inputs + 1))
        columnStart.initialize(repeating: 0, count: slots * (inputs + 1))
        touched = .allocate(capacity: slots)
        touched.initialize(repeating: 0, count: slots)
        gradientRows = UnsafePointer(staged)
        imageOfRow = .allocate(capacity: capacity)
        imageOfRow.initialize(repeating: 0, count: capacity)
        for b in 0..<256 {
            table[b] = TrainingImages.value(UInt8(b), mean: mean, deviation: deviation) - zeroValue
        }
    }

    deinit {
        memory.deallocate()
        imageOfRow.deallocate()
        litRow.deallocate()
        columnStart.deallocate()
        touched.deallocate()
    }

    /// Nonzero share of up to 1000 images spread evenly over the set.
    private static func sampledDensity(of pixels: [UInt8], inputs: Int) -> Double {
        let images = pixels.count / inputs
        let step = max(1, images / 1000)
        var nonzero = 0, seen = 0
        for image in Swift.stride(from: 0, to: images, by: step) {
            for p in image * inputs..<(image + 1) * inputs where pixels[p] != 0 { nonzero += 1 }
            seen += inputs
        }
        return Double(nonzero) / Double(max(1, seen))
    }

    // MARK: - Minibatch

    /// After `imageOfRow` is set for the minibatch rows `rows`: lists their lit pixels by pixel, as slot `slot`
    /// (slots hold consecutive row ranges, slot 0 first; `finishStaging` says how many a step used).
    func gathered(rows: Range<Int>, slot: Int) {
        precondition(slot < slots, "more row slices than slots")
        let starts = columnStart + slot * (inputs + 1)
        let firstEntry = Int32(rows.lowerBound * inputs)
        images.offsets.withUnsafeBufferPointer { offsets in
            images.pixel.withUnsafeBufferPointer { pixel in
                images.byte.withUnsafeBufferPointer { byte in
                    // Counting sort by pixel: count (pixel k's count in starts[k + 1]), running sums (starts[k]
                    // then begins pixel k), then place the entries in row order.
                    starts.update(repeating: 0, count: inputs + 1)
                    var sink: UInt32 = 0
                    for r in rows {
                        let image = imageOfRow[r]
                        var e = offsets[image]
                        let end = offsets[image + 1]
                        while e < end { sink &+= UInt32(pixel[e]) &+ UInt32(byte[e]); e += 32 }
                    }
                    touched[slot] = sink
                    for r in rows {
                        let image = imageOfRow[r]
                        for e in offsets[image]..<offsets[image + 1] { starts[Int(pixel[e]) + 1] += 1 }
                    }
                    var sum = firstEntry
                    for k in 0...inputs {
                        sum += starts[k]
                        starts[k] = sum
                    }
                    for r in rows {
                        let image = imageOfRow[r]
                        for e in offsets[image]..<offsets[image + 1] {
                            let k = Int(pixel[e]), at = Int(starts[k])
                            litRow[at] = UInt32(truncatingIfNeeded: r)
                            litValue[at] = table[Int(byte[e])]
                            starts[k] += 1
                        }
                    }
                    // Placing moved each starts[k] to the end of pixel k: shift back so that it begins it again.
                    var k = inputs
                    while k > 0 { starts[k] = starts[k - 1]; k -= 1 }
                    starts[0] = firstEntry
                }
            }
        }
    }

    /// `gathered` for the whole minibatch `0..<rows` in up to `threads` slots at once, for `weightGradient(_:into:threads:)`.
    func gatherAll(rows: Int, threads: Int) {
        let chunks = min(SparseInput.cores(threads), rows / 32, slots)
        guard chunks > 1 else {
            gathered(rows: 0..<rows, slot: 0)
            allSlots = 1
            return
        }
        var used = 1
        phase = .gather(0..<rows)
        ThreadPool.shared.parallelRegion(threads: chunks, chunkCount: { used = $0; return $0 }, task: self)
        phase = .idle
        allSlots = used
    }

    // MARK: - Forward

    /// Refreshes Wᵀ and the start vector from the layer's current weights, on up to `threads` cores: once per
    /// step, before `affine`.
    func prepareForward(threads: Int = 1) {
        let groups = (outputs + 15) / 16
        let chunks = min(SparseInput.cores(threads), groups / 4)
        guard chunks > 1 else { return transposeWeights(groups: 0..<groups) }
        phase = .transpose
        ThreadPool.shared.parallelRegion(threads: chunks, chunkCount: { min(groups, 2 * $0) }, task: self)
        phase = .idle
    }

    /// Wᵀ and the start vector for the outputs 16·groups (one group is 16 rows of W, 16 columns of Wᵀ).
    private func transposeWeights(groups: Range<Int>) {
        let w = layer.weight
        let first = 16 * groups.lowerBound, last = min(outputs, 16 * groups.upperBound)
        SparseKernels.transpose(w.base + first * inputs, rows: last - first, columns: inputs, srcStride: inputs,
                                into: transposed + first, outStride: stride)
        for j in first..<last {
            var sum: Float = 0
            if zeroValue != 0 {
                let row = w.base + j * inputs
                for k in 0..<inputs { sum += row[k] }
            }
            base[j] = layer.bias.base[j] + zeroValue * sum
        }
    }

    /// Columns of Wᵀ one pass of the forward kernel covers.
    private var passWidth: Int { 16 * SparseKernels.passVectors }
    /// Passes of the forward kernel per sample.
    private var passes: Int { (stride + passWidth - 1) / passWidth }

    /// y = activation(x · Wᵀ + b) for the minibatch rows `rows` (y is their view), on up to `threads` cores:
    /// split by passes of columns when there are several (each thread then reads only its slices of Wᵀ), else
    /// by rows.
    func affine(rows: Range<Int>, activation: Gemm.Activation, into y: Matrix<Float>, threads: Int) {
        precondition(y.rows == rows.count && y.columns == outputs, "sparse affine shapes")
        let chunks = min(SparseInput.cores(threads), passes > 1 ? passes : rows.count / 16)
        guard chunks > 1 else {
            return affineRows(rows, passes: 0..<passes, activation: activation, y: y, firstRow: rows.lowerBound)
        }
        phase = .forward(rows, activation, y)
        ThreadPool.shared.parallelRegion(threads: chunks, chunkCount: { passes > 1 ? passes : min(rows.count / 8, 4 * $0) },
                                         task: self)
        phase = .idle
    }

    /// `affine` for `rows` and the column passes `passes` on the calling thread, one pass at a time over all
    /// the rows, so that the slice of Wᵀ a pass reads (≤ 128 columns: 401 KB for 784 inputs) stays in L2 from
    /// sample to sample.
    private func affineRows(_ rows: Range<Int>, passes: Range<Int>, activation: Gemm.Activation, y: Matrix<Float>,
                            firstRow: Int) {
        let passWidth = self.passWidth
        GemmBuffers.withBuffers { buffers in
            buffers.reserve(a: inputs + passWidth, b: 0)
            buffers.reserve(indices: inputs)
            let values = buffers.a, out = buffers.a + inputs, indices = buffers.indices
            images.offsets.withUnsafeBufferPointer { offsets in
                images.pixel.withUnsafeBufferPointer { pixel in
                    images.byte.withUnsafeBufferPointer { byte in
                        for pass in passes {
                            let column = pass * passWidth
                            let width = min(passWidth, stride - column), valid = min(width, outputs - column)
                            for r in rows {
                                let image = imageOfRow[r], first = offsets[image], count = offsets[image + 1] - first
                                for e in 0..<count {
                                    indices[e] = UInt32(pixel[first + e])
                                    values[e] = table[Int(byte[first + e])]
                                }
                                SparseKernels.accumulate(width: width, start: base + column, indices: indices,
                                                         values: values, count: count, matrix: transposed + column,
                                                         stride: stride, into: out)
                                SparseKernels.activate(out, count: width, activation)
                                (y.base + (r - firstRow) * outputs + column).update(from: out, count: valid)
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: - Weight gradient

    /// Copies the rows `rows` of layer 0's dZ (`dZ` is their view) to where the gradient kernel reads them.
    func stageGradient(_ dZ: Matrix<Float>, rows: Range<Int>) {
        precondition(dZ.rows == rows.count && dZ.columns == outputs, "sparse gradient shapes")
        guard stride != outputs else { return }
        for r in rows { (staged + r * stride).update(from: dZ.base + (r - rows.lowerBound) * outputs, count: outputs) }
    }

    /// After every row of `dZ` (the whole minibatch) is staged and the step's rows were gathered in `slots`
    /// slots: sets up the gradient passes that follow.
    func finishStaging(_ dZ: Matrix<Float>, slots used: Int) {
        precondition(used >= 1 && used <= slots)
        slotsInUse = used
        gradientRows = stride == outputs ? UnsafePointer(dZ.base) : UnsafePointer(staged)
        guard zeroValue != 0 else { return }
        Elementwise.columnSums(dZ, into: Matrix(base: constant, rows: 1, columns: outputs))
        for j in 0..<outputs { constant[j] *= zeroValue }
    }

    /// dW = dZᵀ · x for the whole minibatch, gathered by `gatherAll` (dZ is layer 0's, batch × outputs), on up
    /// to `threads` cores.
    func weightGradient(_ dZ: Matrix<Float>, into dW: Matrix<Float>, threads: Int) {
        stageGradient(dZ, rows: 0..<dZ.rows)
        finishStaging(dZ, slots: allSlots)
        let blocks = (inputs + 15) / 16
        phase = .gradient(dW)
        ThreadPool.shared.parallelRegion(threads: min(SparseInput.cores(threads), blocks),
                                         chunkCount: { $0 == 1 ? 1 : min(blocks, 4 * $0) }, task: self)
        phase = .idle
    }

    /// dW[:, pixels] on the calling thread, after `finishStaging`. `pixels` starts at a multiple of 16.
    func weightGradient(pixels: Range<Int>, into dW: Matrix<Float>) {
        precondition(pixels.lowerBound % 16 == 0 && pixels.upperBound <= inputs
                     && dW.rows == outputs && dW.columns == inputs, "sparse gradient shapes")
        GemmBuffers.withBuffers { buffers in
            buffers.reserve(a: 16 * stride, b: 0)
            let sums = buffers.a
            for k0 in Swift.stride(from: pixels.lowerBound, to: pixels.upperBound, by: 16) {
                let width = min(16, pixels.upperBound - k0)
                for t in 0..<width {
                    let out = sums + t * stride
                    var start = UnsafePointer(constant)
                    for slot in 0..<slotsInUse {
                        let starts = columnStart + slot * (inputs + 1)
                        let first = Int(starts[k0 + t]), count = Int(starts[k0 + t + 1]) - first
                        guard count > 0 || slot == slotsInUse - 1 else { continue }
                        SparseKernels.accumulate(width: stride, start: start, indices: litRow + first,
                                                 values: litValue + first, count: count, matrix: gradientRows,
                                                 stride: stride, into: out)
                        start = UnsafePointer(out)
                    }
                }
                SparseKernels.transpose(sums, rows: width, columns: outputs, srcStride: stride,
                                        into: dW.base + k0, outStride: inputs)
            }
        }
    }

    // MARK: - Parallel regions

    /// The cores a call's `threads` allows: 0 (or less) means the pool's limit, as for the gemm.
    private static func cores(_ threads: Int) -> Int { threads > 0 ? threads : ThreadPool.shared.maxThreads }

    func run(chunk: Int, of count: Int) {
        switch phase {
        case .idle: break
        case let .gather(rows):
            gathered(rows: rows.lowerBound + rows.count * chunk / count..<rows.lowerBound + rows.count * (chunk + 1) / count,
                     slot: chunk)
        case .transpose:
            let groups = (outputs + 15) / 16
            transposeWeights(groups: groups * chunk / count..<groups * (chunk + 1) / count)
        case let .forward(rows, activation, y):
            if passes > 1 {
                return affineRows(rows, passes: passes * chunk / count..<passes * (chunk + 1) / count,
                                  activation: activation, y: y, firstRow: rows.lowerBound)
            }
            let low = rows.lowerBound + rows.count * chunk / count
            let high = rows.lowerBound + rows.count * (chunk + 1) / count
            guard low < high else { return }
            affineRows(low..<high, passes: 0..<1, activation: activation,
                       y: y.rows(low - rows.lowerBound..<high - rows.lowerBound), firstRow: low)
        case let .gradient(dW):
            let blocks = (inputs + 15) / 16
            let low = 16 * (blocks * chunk / count), high = min(inputs, 16 * (blocks * (chunk + 1) / count))
            guard low < high else { return }
            weightGradient(pixels: low..<high, into: dW)
        }
    }
}

extension SparseInput: @unchecked Sendable {}
