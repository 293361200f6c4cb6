// The Float passes that split a batch into chunks of samples over the pool (BatchTask): the single-channel conv
// kernel and the chunked im2col + gemm conv against the Double im2col layer, within Float's bound for each sum,
// with the same bits on 1, 2 and 3 threads; max pooling with recorded offsets against the Double layer that
// scans the windows again, ties included.
import Testing
import TestSupport
@testable import Engine

struct BatchPassesTests {
    struct ConvShape: CustomTestStringConvertible, Sendable {
        let c: Int, h: Int, w: Int, filters: Int, kh: Int, kw: Int, stride: Int, pad: Int
        var testDescription: String { "\(c)×\(h)×\(w) → \(filters) k\(kh)×\(kw) s\(stride) p\(pad)" }
    }

    static let convShapes: [ConvShape] = [
        ConvShape(c: 1, h: 28, w: 28, filters: 6, kh: 5, kw: 5, stride: 1, pad: 2),   // LeNet-5's conv1
        ConvShape(c: 1, h: 12, w: 9, filters: 32, kh: 3, kw: 3, stride: 1, pad: 0),   // the example CNN's conv1
        ConvShape(c: 1, h: 7, w: 11, filters: 5, kh: 4, kw: 2, stride: 1, pad: 1),
        ConvShape(c: 1, h: 9, w: 9, filters: 3, kh: 3, kw: 3, stride: 2, pad: 1),     // stride 2: im2col
        ConvShape(c: 3, h: 18, w: 18, filters: 7, kh: 3, kw: 3, stride: 1, pad: 0),   // two chunks of 19 samples
        ConvShape(c: 6, h: 14, w: 14, filters: 16, kh: 5, kw: 5, stride: 1, pad: 0),  // LeNet-5's conv2
    ]

    /// Forward output, dW, dB and the gated dX of one conv layer over `rows` samples on `threads` threads,
    /// in Float; and the same from the Double layer, with each number's Σ|terms| for the bound.
    struct ConvRun { var y: [Float], dW: [Float], dB: [Float], dX: [Float] }

    static func spec(_ s: ConvShape) throws -> ConvGeometry {
        let spec = try NetworkSpec(input: TensorShape(channels: s.c, height: s.h, width: s.w),
                                   layers: [.conv2d(Conv2DSpec(filters: s.filters, kernel: Extent2D(s.kh, s.kw),
                                                               stride: Extent2D(s.stride, s.stride),
                                                               padding: .explicit(Extent2D(s.pad, s.pad))))],
                                   outputs: 2, activation: .relu, output: .softmax)
        guard case .conv2d(let g, _) = spec.plan[0] else { throw ConfigError(field: "", message: "no conv") }
        return g
    }

    static func run<T: EngineScalar>(_ g: ConvGeometry, rows: Int, x: [Double], dY: [Double], gate: [Double],
                                     w: [Double], b: [Double], threads: Int, as _: T.Type) -> ConvRun {
        let f = g.output.channels
        let scratch = Conv2D<T>.scratchCount(g, rows: rows, inputGradient: true)
        let partials = max(1, ConvPasses.partialCount(g, rows: rows))
        let store = Storage<T>(count: 2 * (f * g.patch + f) + rows * (2 * g.input.count + 2 * g.output.count)
                               + rows * g.input.count + scratch + partials)
        let weight = store.carve(rows: f, columns: g.patch), bias = store.carve(rows: 1, columns: f)
        let dW = store.carve(rows: f, columns: g.patch), dB = store.carve(rows: 1, columns: f)
        let xm = store.carve(rows: rows, columns: g.input.count), dX = store.carve(rows: rows, columns: g.input.count)
        let gm = store.carve(rows: rows, columns: g.input.count)
        let y = store.carve(rows: rows, columns: g.output.count), dYm = store.carve(rows: rows, columns: g.output.count)
        let columns = store.carve(rows: 1, columns: scratch), part = store.carve(rows: 1, columns: partials)
        weight.assign(w.map { T($0) }); bias.assign(b.map { T($0) })
        xm.assign(x.map { T($0) }); dYm.assign(dY.map { T($0) }); gm.assign(gate.map { T($0) })
        let conv = Conv2D(geometry: g, weight: weight, bias: bias, dW: dW, dB: dB)
        conv.forward(xm, into: y, columns: columns, activation: .identity, threads: threads)
        conv.parameterGradients(dYm, input: xm, columns: columns, partials: part, threads: threads)
        if !conv.inputGradient(dYm, into: dX, columns: columns, gate: (gm, .relu), threads: threads) {
            Elementwise.gate(dX, by: gm, activation: .relu)
        }
        func floats(_ m: Matrix<T>) -> [Float] { m.toArray().map { Float($0) } }
        return ConvRun(y: floats(y), dW: floats(dW), dB: floats(dB), dX: floats(dX))
    }

    @Test(arguments: BatchPassesTests.convShapes)
    func convPasses_matchTheDoubleLayer_withTheSameBitsOnAnyThreadCount(_ s: ConvShape) throws {
        let g = try BatchPassesTests.spec(s), rows = 19
        var random = SplitMix64(seed: 11)
        let x = (0..<rows * g.input.count).map { _ in random.nextSigned() }
        let dY = (0..<rows * g.output.count).map { _ in random.nextSigned() }
        let gate = (0..<rows * g.input.count).map { _ in random.nextSigned() }
        let w = (0..<g.output.channels * g.patch).map { _ in random.nextSigned() }
        let b = (0..<g.output.channels).map { _ in random.nextSigned() }
        // Inputs as Float holds them, so that the Double layer computes the exact value of the same sums.
        func f(_ v: [Double]) -> [Double] { v.map { Double(Float($0)) } }
        let (fx, fdY, fw, fb) = (f(x), f(dY), f(w), f(b))
        let one = BatchPassesTests.run(g, rows: rows, x: fx, dY: fdY, gate: gate, w: fw, b: fb, threads: 1, as: Float.self)
        for threads in [2, 3] {
            let other = BatchPassesTests.run(g, rows: rows, x: fx, dY: fdY, gate: gate, w: fw, b: fb, threads: threads, as: Float.self)
            #expect(other.y == one.y && other.dW == one.dW && other.dB == one.dB && other.dX == one.dX, "\(threads) threads")
        }
        let exact = BatchPassesTests.run(g, rows: rows, x: fx, dY: fdY, gate: gate, w: fw, b: fb, threads: 1, as: Double.self)
        // Σ|terms| of every number: the same layer on magnitudes.
        let magnitude = BatchPassesTests.run(g, rows: rows, x: fx.map(abs), dY: fdY.map(abs), gate: gate.map { _ in 1 },
                                             w: fw.map(abs), b: fb.map(abs), threads: 1, as: Double.self)
        func check(_ ours: [Float], _ exact: [Float], _ magnitude: [Float], terms: Int, _ name: String) {
            for k in ours.indices {
                let bound = FloatRounding.gamma(terms) * Double(magnitude[k]) * (1 + 1e-6) + 1e-30
                if abs(Double(ours[k]) - Double(exact[k])) > bound + abs(Double(exact[k])) * 0x1p-24 {
                    Issue.record("\(name)[\(k)] = \(ours[k]), Double layer \(exact[k]), bound \(bound)")
                    return
                }
            }
        }
        check(one.y, exact.y, magnitude.y, terms: g.patch + 1, "y")
        check(one.dW, exact.dW, magnitude.dW, terms: rows * g.output.positions, "dW")
        check(one.dB, exact.dB, magnitude.dB, terms: rows * g.output.positions, "dB")
        check(one.dX, exact.dX, magnitude.dX, terms: g.output.channels * g.kernel.height * g.kernel.width, "dX")
    }

    struct PoolShape: CustomTestStringConvertible, Sendable {
        let c: Int, h: Int, w: Int, kh: Int, kw: Int, sh: Int, sw: Int
        var testDescription: String { "\(c)×\(h)×\(w) k\(kh)×\(kw) s\(sh)×\(sw)" }
    }

    @Test(arguments: [
        PoolShape(c: 6, h: 28, w: 28, kh: 2, kw: 2, sh: 2, sw: 2), PoolShape(c: 16, h: 10, w: 10, kh: 2, kw: 2, sh: 2, sw: 2),
        PoolShape(c: 20, h: 7, w: 9, kh: 3, kw: 3, sh: 2, sw: 2), PoolShape(c: 1, h: 5, w: 6, kh: 2, kw: 3, sh: 1, sw: 1),
        PoolShape(c: 64, h: 6, w: 6, kh: 2, kw: 2, sh: 2, sw: 2), PoolShape(c: 3, h: 4, w: 4, kh: 4, kw: 4, sh: 1, sw: 1),
    ])
    func maxPoolWithOffsets_matchesTheScanningLayer_tiesIncluded(_ s: PoolShape) {
        let input = TensorShape(channels: s.c, height: s.h, width: s.w)
        let output = TensorShape(channels: s.c, height: (s.h - s.kh) / s.sh + 1, width: (s.w - s.kw) / s.sw + 1)
        let g = PoolGeometry(input: input, output: output, size: Extent2D(s.kh, s.kw), stride: Extent2D(s.sh, s.sw))
        let rows = 11
        var random = SplitMix64(seed: 5)
        // Four levels only, so that most windows tie; gradients small integers, so every sum is exact.
        let x = (0..<rows * input.count).map { _ in Double(Int(random.next() % 4)) - 1 }
        let dY = (0..<rows * output.count).map { _ in Double(Int(random.next() % 7)) - 3 }
        let reference = Storage<Double>(count: rows * (2 * input.count + 2 * output.count))
        let xd = reference.carve(rows: rows, columns: input.count), yd = reference.carve(rows: rows, columns: output.count)
        let dYd = reference.carve(rows: rows, columns: output.count), dXd = reference.carve(rows: rows, columns: input.count)
        xd.assign(x); dYd.assign(dY)
        MaxPool<Double>(geometry: g).forward(xd, into: yd)
        MaxPool<Double>(geometry: g).backward(dYd, input: xd, into: dXd)
        for threads in [1, 2, 3] {
            let store = Storage<Float>(count: rows * (2 * input.count + 3 * output.count))
            let xf = store.carve(rows: rows, columns: input.count), yf = store.carve(rows: rows, columns: output.count)
            let at = store.carve(rows: rows, columns: output.count), dYf = store.carve(rows: rows, columns: output.count)
            let dXf = store.carve(rows: rows, columns: input.count)
            xf.assign(x.map { Float($0) }); dYf.assign(dY.map { Float($0) })
            let pool = MaxPool<Float>(geometry: g)
            pool.forward(xf, into: yf, argmax: at, threads: threads)
            pool.backward(dYf, argmax: at, into: dXf, threads: threads)
            #expect(yf.toArray().map { Double($0) } == yd.toArray(), "y, \(threads) threads")
            #expect(dXf.toArray().map { Double($0) } == dXd.toArray(), "dX, \(threads) threads")
        }
    }
}
