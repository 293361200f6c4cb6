// The Float conv layer (im2col + gemm, samples stored height, width, channels) against a plain loop over
// PyTorch's NCHW layout in Double, forward and both gradients, over odd shapes, strides and paddings. The
// bound for each number is Float's for a sum of its terms (FloatRounding), not a constant.
import Testing
import TestSupport
@testable import Engine

struct Conv2DTests {
    struct Shape: CustomTestStringConvertible, Sendable {
        let c: Int, h: Int, w: Int, filters: Int, kh: Int, kw: Int, sh: Int, sw: Int
        let padding: Padding
        var testDescription: String { "\(c)×\(h)×\(w) → \(filters) k\(kh)×\(kw) s\(sh)×\(sw) \(padding)" }
    }

    static let shapes: [Shape] = [
        Shape(c: 1, h: 28, w: 28, filters: 6, kh: 5, kw: 5, sh: 1, sw: 1, padding: .explicit(Extent2D(2, 2))),
        Shape(c: 3, h: 9, w: 7, filters: 5, kh: 3, kw: 3, sh: 2, sw: 2, padding: .explicit(Extent2D(1, 1))),
        Shape(c: 2, h: 8, w: 11, filters: 4, kh: 4, kw: 2, sh: 1, sw: 1, padding: .same),
        Shape(c: 5, h: 6, w: 6, filters: 7, kh: 1, kw: 1, sh: 1, sw: 1, padding: .explicit(Extent2D(0, 0))),
        Shape(c: 4, h: 13, w: 5, filters: 3, kh: 3, kw: 5, sh: 3, sw: 1, padding: .explicit(Extent2D(0, 2))),
        Shape(c: 16, h: 10, w: 10, filters: 33, kh: 3, kw: 3, sh: 1, sw: 1, padding: .explicit(Extent2D(0, 0))),
    ]

    /// A conv layer of `s` with its parameters carved from `storage`, filled from `random`.
    static func layer(_ s: Shape, random: inout SplitMix64) throws -> (Conv2D<Float>, Storage<Float>) {
        let spec = try NetworkSpec(input: TensorShape(channels: s.c, height: s.h, width: s.w),
                                   layers: [.conv2d(Conv2DSpec(filters: s.filters, kernel: Extent2D(s.kh, s.kw),
                                                               stride: Extent2D(s.sh, s.sw), padding: s.padding))],
                                   outputs: 2, activation: .linear, output: .softmax)
        guard case .conv2d(let g, _) = spec.plan[0] else { throw ConfigError(field: "", message: "no conv") }
        let storage = Storage<Float>(count: 2 * (g.output.channels * g.patch + g.output.channels))
        let w = storage.carve(rows: g.output.channels, columns: g.patch), b = storage.carve(rows: 1, columns: g.output.channels)
        let dW = storage.carve(rows: g.output.channels, columns: g.patch), dB = storage.carve(rows: 1, columns: g.output.channels)
        for k in 0..<w.count { w[k] = Float(random.nextSigned()) }
        for k in 0..<b.count { b[k] = Float(random.nextSigned()) }
        return (Conv2D(geometry: g, weight: w, bias: b, dW: dW, dB: dB), storage)
    }

    /// Index of (n, c, y, x) in NCHW and in the engine's (n, y, x, c).
    static func nchw(_ shape: TensorShape, _ n: Int, _ c: Int, _ y: Int, _ x: Int) -> Int {
        ((n * shape.channels + c) * shape.height + y) * shape.width + x
    }
    static func nhwc(_ shape: TensorShape, _ n: Int, _ c: Int, _ y: Int, _ x: Int) -> Int {
        ((n * shape.height + y) * shape.width + x) * shape.channels + c
    }

    @Test(arguments: Conv2DTests.shapes)
    func forwardAndGradients_matchANaiveLoopOverNCHW(_ s: Shape) throws {
        var random = SplitMix64(seed: 7)
        let (conv, _storage) = try Conv2DTests.layer(s, random: &random)
        _ = _storage
        let g = conv.geometry, rows = 3
        let inShape = g.input, outShape = g.output
        // x in NCHW as PyTorch holds it, and the same numbers in the engine's layout.
        let x = (0..<rows * inShape.count).map { _ in random.nextSigned() }
        let dY = (0..<rows * outShape.count).map { _ in random.nextSigned() }
        let scratch = Conv2D<Float>.scratchCount(g, rows: rows, inputGradient: true)
        let store = Storage<Float>(count: rows * (2 * inShape.count + 3 * outShape.count) + scratch)
        let xm = store.carve(rows: rows, columns: inShape.count), dXm = store.carve(rows: rows, columns: inShape.count)
        let ym = store.carve(rows: rows, columns: outShape.count), dYm = store.carve(rows: rows, columns: outShape.count)
        _ = store.carve(rows: rows, columns: outShape.count)
        let columns = store.carve(rows: 1, columns: scratch)
        for n in 0..<rows { for c in 0..<inShape.channels { for y in 0..<inShape.height { for xx in 0..<inShape.width {
            xm[Conv2DTests.nhwc(inShape, n, c, y, xx)] = Float(x[Conv2DTests.nchw(inShape, n, c, y, xx)])
        } } } }
        for n in 0..<rows { for f in 0..<outShape.channels { for y in 0..<outShape.height { for xx in 0..<outShape.width {
            dYm[Conv2DTests.nhwc(outShape, n, f, y, xx)] = Float(dY[Conv2DTests.nchw(outShape, n, f, y, xx)])
        } } } }
        conv.forward(xm, into: ym, columns: columns)
        conv.parameterGradients(dYm, input: xm, columns: columns)
        conv.inputGradient(dYm, into: dXm, columns: columns)

        // The naive loops, in Double, each sum with the sum of its terms' magnitudes for the bound.
        let kh = g.kernel.height, kw = g.kernel.width
        func weight(_ f: Int, _ c: Int, _ ky: Int, _ kx: Int) -> Double { Double(conv.weight[f, (ky * kw + kx) * inShape.channels + c]) }
        func input(_ n: Int, _ c: Int, _ iy: Int, _ ix: Int) -> Double? {
            guard iy >= 0, iy < inShape.height, ix >= 0, ix < inShape.width else { return nil }
            return Double(Float(x[Conv2DTests.nchw(inShape, n, c, iy, ix)]))
        }
        var dW = [Double](repeating: 0, count: conv.weight.count), dWMagnitude = dW
        var dX = [Double](repeating: 0, count: rows * inShape.count), dXMagnitude = dX
        var dB = [Double](repeating: 0, count: outShape.channels), dBMagnitude = dB
        for n in 0..<rows { for f in 0..<outShape.channels { for oy in 0..<outShape.height { for ox in 0..<outShape.width {
            var sum = Double(conv.bias[f]), magnitude = abs(sum)
            let gradient = Double(Float(dY[Conv2DTests.nchw(outShape, n, f, oy, ox)]))
            dB[f] += gradient; dBMagnitude[f] += abs(gradient)
            for c in 0..<inShape.channels { for ky in 0..<kh { for kx in 0..<kw {
                let iy = oy * g.stride.height - g.padTop + ky, ix = ox * g.stride.width - g.padLeft + kx
                guard let v = input(n, c, iy, ix) else { continue }
                sum += weight(f, c, ky, kx) * v; magnitude += abs(weight(f, c, ky, kx) * v)
                let k = (ky * kw + kx) * inShape.channels + c
                dW[f * g.patch + k] += gradient * v; dWMagnitude[f * g.patch + k] += abs(gradient * v)
                let xi = n * inShape.count + Conv2DTests.nchw(inShape, 0, c, iy, ix)
                dX[xi] += gradient * weight(f, c, ky, kx); dXMagnitude[xi] += abs(gradient * weight(f, c, ky, kx))
            } } }
            let ours = Double(ym[Conv2DTests.nhwc(outShape, n, f, oy, ox)])
            let bound = FloatRounding.gamma(g.patch + 1) * magnitude + 1e-30
            #expect(abs(ours - sum) <= bound, "y[\(n),\(f),\(oy),\(ox)] = \(ours), naive \(sum), bound \(bound)")
        } } } }
        let positions = rows * outShape.positions
        for k in 0..<dW.count {
            #expect(abs(Double(conv.dW[k]) - dW[k]) <= FloatRounding.gamma(positions) * dWMagnitude[k] + 1e-30, "dW[\(k)]")
        }
        for f in 0..<dB.count {
            #expect(abs(Double(conv.dB[f]) - dB[f]) <= FloatRounding.gamma(positions) * dBMagnitude[f] + 1e-30, "dB[\(f)]")
        }
        let covering = outShape.channels * kh * kw
        for n in 0..<rows { for c in 0..<inShape.channels { for y in 0..<inShape.height { for xx in 0..<inShape.width {
            let i = n * inShape.count + Conv2DTests.nchw(inShape, 0, c, y, xx)
            let ours = Double(dXm[Conv2DTests.nhwc(inShape, n, c, y, xx)])
            #expect(abs(ours - dX[i]) <= FloatRounding.gamma(covering) * dXMagnitude[i] + 1e-30, "dX[\(n),\(c),\(y),\(xx)]")
        } } } }
    }

    @Test func weightOrder_roundTripsBetweenPyTorchAndTheEngine() throws {
        // A 2-channel 2×3 kernel: PyTorch's offset (c, ky, kx) → the engine's (ky, kx, c).
        let spec = try NetworkSpec(input: TensorShape(channels: 2, height: 5, width: 5),
                                   layers: [.conv2d(Conv2DSpec(filters: 2, kernel: Extent2D(2, 3)))],
                                   outputs: 2, activation: .relu, output: .softmax)
        guard case .conv2d(let g, _) = spec.plan[0] else { return }
        let pytorch = Array(0..<24)
        let engine = g.engineOrder(pytorch)
        #expect(Array(engine[0..<12]) == [0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11])
        #expect(Array(engine[12..<24]) == [12, 18, 13, 19, 14, 20, 15, 21, 16, 22, 17, 23])
        #expect(g.pytorchOrder(engine) == pytorch)
    }

    @Test func outputShapes_followPyTorchsFormula() throws {
        // floor((H + 2p − k) / s) + 1, and "same" keeps H × W at stride 1 whatever the kernel's parity.
        let spec = try NetworkSpec(input: TensorShape(channels: 1, height: 28, width: 28), layers: [
            .conv2d(Conv2DSpec(filters: 6, kernel: Extent2D(5, 5), padding: .explicit(Extent2D(2, 2)))),
            .maxPool(PoolSpec(size: Extent2D(2, 2))),
            .conv2d(Conv2DSpec(filters: 16, kernel: Extent2D(5, 5))),
            .avgPool(PoolSpec(size: Extent2D(3, 3), stride: Extent2D(2, 2))),
            .conv2d(Conv2DSpec(filters: 4, kernel: Extent2D(2, 3), padding: .same)),
            .conv2d(Conv2DSpec(filters: 2, kernel: Extent2D(3, 3), stride: Extent2D(2, 2), padding: .explicit(Extent2D(1, 1)))),
        ], outputs: 10, activation: .relu, output: .softmax)
        #expect(spec.plan.map(\.outputShape.description) == ["6×28×28", "6×14×14", "16×10×10", "16×4×4", "4×4×4",
                                                              "2×2×2", "8", "10"])
        #expect(spec.plan.map(\.typeName) == ["conv2d", "maxpool", "conv2d", "avgpool", "conv2d", "conv2d", "flatten", "dense"])
        // LeNet-5's parameter count, as PyTorch's sum(p.numel()).
        let lenet = try NetworkSpec(input: TensorShape(channels: 1, height: 28, width: 28),
                                    layers: Presets.lenet5Layers, outputs: 10, activation: .relu, output: .softmax)
        #expect(lenet.parameterCount == 61_706)
    }
}
