// Backprop through every layer type against central differences in Double: conv2d over strides, paddings
// ("same" with an even kernel too) and odd sizes; max and average pooling, overlapping windows and windows
// that leave a remainder; dropout with its mask fixed; flatten, explicit and implied; per-layer activations.
// Each case puts a conv layer first, so the layers above it are checked through their input gradients too.
import Testing
@testable import Engine

struct LayerGradientCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let input: TensorShape
        let layers: [LayerSpec]
        var activation: Activation = .tanh
        var testDescription: String { name }
    }

    static func conv(_ filters: Int, _ kh: Int, _ kw: Int, stride: (Int, Int) = (1, 1), padding: Padding = .explicit(Extent2D(0, 0)),
                     activation: Activation? = nil) -> LayerSpec {
        .conv2d(Conv2DSpec(filters: filters, kernel: Extent2D(kh, kw), stride: Extent2D(stride.0, stride.1),
                           padding: padding, activation: activation))
    }

    static func pool(_ h: Int, _ w: Int, stride: (Int, Int)? = nil) -> PoolSpec {
        PoolSpec(size: Extent2D(h, w), stride: stride.map { Extent2D($0.0, $0.1) })
    }

    static let odd = TensorShape(channels: 2, height: 7, width: 6)

    static let cases: [Case] = [
        Case(name: "conv 3×3", input: odd, layers: [conv(3, 3, 3)]),
        Case(name: "conv 3×2 stride 2 pad 1", input: odd, layers: [conv(3, 3, 2, stride: (2, 2), padding: .explicit(Extent2D(1, 1)))]),
        Case(name: "conv 4×4 same (even kernel)", input: odd, layers: [conv(2, 4, 4, padding: .same)]),
        Case(name: "conv stride 2×1 pad 0×2", input: odd, layers: [conv(2, 3, 3, stride: (2, 1), padding: .explicit(Extent2D(0, 2)))]),
        Case(name: "conv then conv", input: odd, layers: [conv(3, 3, 3, padding: .same), conv(2, 2, 3, stride: (2, 1))]),
        Case(name: "conv 1×1", input: odd, layers: [conv(3, 1, 1), conv(2, 3, 3)]),
        Case(name: "maxpool 2 (remainder dropped)", input: odd, layers: [conv(3, 2, 2), .maxPool(pool(2, 2))]),
        Case(name: "maxpool 3 stride 2 (overlapping)", input: odd, layers: [conv(2, 1, 1), .maxPool(pool(3, 3, stride: (2, 2)))]),
        Case(name: "maxpool 2×3 stride 1", input: odd, layers: [conv(2, 2, 2), .maxPool(pool(2, 3, stride: (1, 1)))]),
        Case(name: "avgpool 2", input: odd, layers: [conv(3, 2, 2), .avgPool(pool(2, 2))]),
        Case(name: "avgpool 3 stride 2 (overlapping)", input: odd, layers: [conv(2, 1, 1), .avgPool(pool(3, 3, stride: (2, 2)))]),
        Case(name: "dropout after conv", input: odd, layers: [conv(3, 3, 3), .dropout(rate: 0.5), conv(2, 2, 2)]),
        Case(name: "dropout after dense", input: odd, layers: [conv(2, 3, 3), .dense(units: 5, activation: nil), .dropout(rate: 0.3)]),
        Case(name: "explicit flatten then dense", input: odd, layers: [conv(3, 3, 3), .flatten, .dense(units: 4, activation: .sigmoid)]),
        Case(name: "implied flatten after pool", input: odd, layers: [conv(3, 2, 2), .maxPool(pool(2, 2)), .dense(units: 4, activation: nil)]),
        Case(name: "relu conv, maxpool, dense (kinks skipped)", input: odd,
             layers: [conv(3, 3, 3), .maxPool(pool(2, 2)), .dense(units: 5, activation: nil)], activation: .relu),
        Case(name: "per-layer activations", input: odd,
             layers: [conv(2, 3, 3, activation: .leakyRelu(slope: 0.1)), conv(2, 2, 2, activation: .softplus),
                      .avgPool(pool(2, 2)), .dense(units: 3, activation: .sigmoid)]),
        Case(name: "LeNet shape, small", input: TensorShape(channels: 1, height: 12, width: 12),
             layers: [conv(3, 5, 5, padding: .explicit(Extent2D(2, 2))), .maxPool(pool(2, 2)), conv(4, 3, 3),
                      .maxPool(pool(2, 2)), .dense(units: 6, activation: nil)]),
    ]

    @Test(arguments: LayerGradientCheckTests.cases)
    func backprop_matchesCentralDifferencesInDouble(_ c: Case) throws {
        let spec = try NetworkSpec(input: c.input, layers: c.layers, outputs: 3, activation: c.activation, output: .softmax)
        for seed in UInt64(0)..<2 {
            let results = GradientCheck.run(spec: spec, initializer: .xavier, samples: 3, seed: seed,
                                            maxCoordinates: 60, step: 1e-4)
            let parametric = spec.plan.filter { $0.weightShape != nil }.count
            #expect(results.count == 2 * parametric)
            for result in results {
                // Five-point differences at h = 1e-4 are exact to ~1e-12 here; a wrong rule is off by O(1).
                #expect(result.maxRelativeError < 1e-6, "\(c.name) seed \(seed): \(result)")
                #expect(result.checked > 0, "\(c.name) seed \(seed): nothing checked in \(result.name)")
            }
        }
    }

    @Test func gradientCheck_failsWhenAConvGradientIsWrong() throws {
        let spec = try NetworkSpec(input: LayerGradientCheckTests.odd, layers: [LayerGradientCheckTests.conv(3, 3, 3)],
                                   outputs: 3, activation: .tanh, output: .softmax)
        let results = GradientCheck.run(spec: spec, initializer: .xavier, samples: 3, seed: 0, maxCoordinates: 60,
                                        step: 1e-4, corruptGradient: { $0 * 1.01 })
        #expect(results.allSatisfy { $0.maxRelativeError > 5e-3 })
    }
}
