// The single-channel convolution's passes, one chunk of samples at a time (see SingleChannelConv.swift): the
// forward pass writes the layer's output rows; the weight gradient leaves per-chunk tiled sums that `reduce`
// folds, chunk by chunk in order, into dW and dB.

extension SingleChannelConv {
    /// table[t · P + j] = weight[j mod F, t] for every tap t, and table[taps · P + j] = bias[j mod F]: each
    /// tap's weights (and the bias) tiled along an output row.
    static func prepareTable(weight: Matrix<Float>, bias: Matrix<Float>, _ layout: Layout,
                             into table: UnsafeMutablePointer<Float>) {
        let f = layout.g.output.channels, p = layout.paddedRow
        for t in 0...layout.taps {
            let row = table + t * p
            for j in 0..<p { row[j] = t < layout.taps ? weight[j % f, t] : bias[j % f] }
        }
    }

    /// y (rows, OH · OW · F) = activation(conv(x) + bias) for the samples of chunks, given the table.
    struct Forward {
        let layout: Layout
        let x: Matrix<Float>
        let y: Matrix<Float>
        let table: UnsafePointer<Float>
        /// One expanded image per chunk.
        let scratch: UnsafeMutablePointer<Float>
        let activation: Gemm.Activation

        var chunks: Int { Layout.chunks(rows: x.rows) }

        func run(chunk: Int) {
            let g = layout.g, row = layout.row, p = layout.paddedRow, stride = layout.expandedStride
            let f = g.output.channels, kh = g.kernel.height, kw = g.kernel.width, oh = g.output.height
            let expanded = scratch + chunk * layout.expandedCount
            expanded.update(repeating: 0, count: layout.expandedCount)
            let bias = table + layout.taps * p
            let first = chunk * samplesPerChunk
            for n in first..<min(x.rows, first + samplesPerChunk) {
                expand(x.base + n * x.columns, layout, into: expanded)
                // Two output rows at a time, a group of four vectors each: eight independent chains of taps
                // that share each weight vector.
                var oy = 0
                while oy < oh {
                    let pair = oy + 1 < oh
                    let out = y.base + n * y.columns + oy * row, input = UnsafePointer(expanded + oy * stride)
                    for b in Swift.stride(from: 0, to: p, by: group * lanes) {
                        var a0: SIMD16<Float> = loadVector(bias + b), a1: SIMD16<Float> = loadVector(bias + b + 16)
                        var a2: SIMD16<Float> = loadVector(bias + b + 32), a3: SIMD16<Float> = loadVector(bias + b + 48)
                        var c0 = a0, c1 = a1, c2 = a2, c3 = a3
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let ws = table + (ky * kw + kx) * p + b
                                let w0: SIMD16<Float> = loadVector(ws), w1: SIMD16<Float> = loadVector(ws + 16)
                                let w2: SIMD16<Float> = loadVector(ws + 32), w3: SIMD16<Float> = loadVector(ws + 48)
                                let xs = input + ky * stride + kx * f + b
                                a0 = multiplyAdd(a0, loadVector(xs), w0)
                                a1 = multiplyAdd(a1, loadVector(xs + 16), w1)
                                a2 = multiplyAdd(a2, loadVector(xs + 32), w2)
                                a3 = multiplyAdd(a3, loadVector(xs + 48), w3)
                                // A lone last row computes a second row of padding it does not store.
                                let next = xs + (pair ? stride : 0)
                                c0 = multiplyAdd(c0, loadVector(next), w0)
                                c1 = multiplyAdd(c1, loadVector(next + 16), w1)
                                c2 = multiplyAdd(c2, loadVector(next + 32), w2)
                                c3 = multiplyAdd(c3, loadVector(next + 48), w3)
                            }
                        }
                        store(a0, a1, a2, a3, activation, into: out, at: b, row: row)
                        if pair { store(c0, c1, c2, c3, activation, into: out + row, at: b, row: row) }
                    }
                    oy += 2
                }
            }
        }
    }

    /// The group of vectors v0…v3, activated, as out[b ..< b + 64], cut off at the row's end.
    @inline(__always)
    static func store(_ v0: SIMD16<Float>, _ v1: SIMD16<Float>, _ v2: SIMD16<Float>, _ v3: SIMD16<Float>,
                      _ activation: Gemm.Activation, into out: UnsafeMutablePointer<Float>, at b: Int, row: Int) {
        if b + group * lanes <= row {
            storeVector(activate(v0, activation), out + b)
            storeVector(activate(v1, activation), out + b + 16)
            storeVector(activate(v2, activation), out + b + 32)
            storeVector(activate(v3, activation), out + b + 48)
            return
        }
        storePart(activate(v0, activation), into: out, at: b, row: row)
        storePart(activate(v1, activation), into: out, at: b + 16, row: row)
        storePart(activate(v2, activation), into: out, at: b + 32, row: row)
        storePart(activate(v3, activation), into: out, at: b + 48, row: row)
    }

    /// The lanes of v that fall inside the row, as out[j ..< min(j + 16, row)].
    @inline(__always)
    static func storePart(_ v: SIMD16<Float>, into out: UnsafeMutablePointer<Float>, at j: Int, row: Int) {
        if j + lanes <= row {
            storeVector(v, out + j)
        } else if j < row {
            for l in 0..<(row - j) { out[j + l] = v[l] }
        }
    }

    /// Per chunk, the tiled sums over its samples of dZ times the expanded input, per tap (and of dZ alone for
    /// the bias): sums[t · P + j] = Σ over samples and output rows of dZ[row, j] · expanded[row + ky, j + kx · F].
    struct WeightGradient {
        let layout: Layout
        let x: Matrix<Float>
        let dZ: Matrix<Float>
        /// `layout.gradientChunkCount` scalars per chunk.
        let scratch: UnsafeMutablePointer<Float>

        var chunks: Int { Layout.chunks(rows: x.rows) }

        func run(chunk: Int) {
            let g = layout.g, row = layout.row, p = layout.paddedRow, stride = layout.expandedStride
            let f = g.output.channels, kw = g.kernel.width, oh = g.output.height, taps = layout.taps
            let sums = scratch + chunk * layout.gradientChunkCount
            let expanded = sums + layout.tableCount, gradient = expanded + layout.expandedCount
            sums.update(repeating: 0, count: layout.tableCount)
            expanded.update(repeating: 0, count: layout.expandedCount)
            gradient.update(repeating: 0, count: oh * p)
            let first = chunk * samplesPerChunk
            for n in first..<min(x.rows, first + samplesPerChunk) {
                expand(x.base + n * x.columns, layout, into: expanded)
                // The sample's dZ with each row padded to whole groups (the padding stays zero).
                for oy in 0..<oh { (gradient + oy * p).update(from: dZ.base + n * dZ.columns + oy * row, count: row) }
                // Two taps at a time, a group of four vectors each: eight chains over the output rows that
                // share each vector of dZ. A lone last tap repeats itself and adds only once.
                for t in Swift.stride(from: 0, to: taps, by: 2) {
                    let u = min(t + 1, taps - 1)
                    let shiftT = (t / kw) * stride + (t % kw) * f, shiftU = (u / kw) * stride + (u % kw) * f
                    for b in Swift.stride(from: 0, to: p, by: group * lanes) {
                        var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
                        var u0 = SIMD16<Float>(), u1 = SIMD16<Float>(), u2 = SIMD16<Float>(), u3 = SIMD16<Float>()
                        for oy in 0..<oh {
                            let d = UnsafePointer(gradient + oy * p + b)
                            let d0: SIMD16<Float> = loadVector(d), d1: SIMD16<Float> = loadVector(d + 16)
                            let d2: SIMD16<Float> = loadVector(d + 32), d3: SIMD16<Float> = loadVector(d + 48)
                            let xs = UnsafePointer(expanded + oy * stride + b), xt = xs + shiftT, xu = xs + shiftU
                            s0 = multiplyAdd(s0, d0, loadVector(xt)); s1 = multiplyAdd(s1, d1, loadVector(xt + 16))
                            s2 = multiplyAdd(s2, d2, loadVector(xt + 32)); s3 = multiplyAdd(s3, d3, loadVector(xt + 48))
                            u0 = multiplyAdd(u0, d0, loadVector(xu)); u1 = multiplyAdd(u1, d1, loadVector(xu + 16))
                            u2 = multiplyAdd(u2, d2, loadVector(xu + 32)); u3 = multiplyAdd(u3, d3, loadVector(xu + 48))
                        }
                        add(s0, s1, s2, s3, to: sums + t * p + b)
                        if u != t { add(u0, u1, u2, u3, to: sums + u * p + b) }
                    }
                }
                for b in Swift.stride(from: 0, to: p, by: group * lanes) {
                    var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
                    for oy in 0..<oh {
                        let d = UnsafePointer(gradient + oy * p + b)
                        s0 += loadVector(d); s1 += loadVector(d + 16); s2 += loadVector(d + 32); s3 += loadVector(d + 48)
                    }
                    add(s0, s1, s2, s3, to: sums + taps * p + b)
                }
            }
        }
    }

    /// sum[0 ..< 64] += (v0, v1, v2, v3).
    @inline(__always)
    static func add(_ v0: SIMD16<Float>, _ v1: SIMD16<Float>, _ v2: SIMD16<Float>, _ v3: SIMD16<Float>,
                    to sum: UnsafeMutablePointer<Float>) {
        storeVector(loadVector(sum) + v0, sum)
        storeVector(loadVector(sum + 16) + v1, sum + 16)
        storeVector(loadVector(sum + 32) + v2, sum + 32)
        storeVector(loadVector(sum + 48) + v3, sum + 48)
    }

    /// dW[f, t] and dB[f] from the chunks' tiled sums: for each, the lanes j ≡ f (mod F) of row t, chunk by
    /// chunk in order (a fixed order, whatever thread ran which chunk).
    static func reduce(_ layout: Layout, scratch: UnsafePointer<Float>, chunks: Int,
                       into dW: Matrix<Float>, _ dB: Matrix<Float>) {
        let f = layout.g.output.channels, p = layout.paddedRow
        for t in 0...layout.taps {
            for filter in 0..<f {
                var sum: Float = 0
                for c in 0..<chunks {
                    let row = scratch + c * layout.gradientChunkCount + t * p
                    for j in Swift.stride(from: filter, to: layout.row, by: f) { sum += row[j] }
                }
                if t < layout.taps { dW[filter, t] = sum } else { dB[filter] = sum }
            }
        }
    }
}
