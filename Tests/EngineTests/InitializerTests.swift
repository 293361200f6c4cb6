// The drawn weights have the spread each initialiser promises (He √(2/fan_in), Xavier √(1/fan_in), a fixed
// normal, a uniform range), mean 0 for the normal ones, and biases start at 0: the numbers behind the init comparison.
import Testing
@testable import Engine

struct InitializerTests {
    /// A 784-256-100 network's weights as drawn by `initializer`: per layer (mean, std, min, max).
    static func moments(_ initializer: Initializer) -> [(mean: Double, std: Double, min: Double, max: Double)] {
        let network = Network<Double>(spec: NetworkSpec(inputs: 784, hidden: [256], outputs: 100, activation: .relu,
                                                        output: .softmax))
        var random = SeededRandom(seed: 3)
        network.initialize(initializer, random: &random)
        #expect(network.layers.allSatisfy { layer in (0..<layer.bias.count).allSatisfy { layer.bias[$0] == 0 } })
        return network.layers.map { layer in
            let values = layer.weight.toArray()
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
            return (mean, variance.squareRoot(), values.min()!, values.max()!)
        }
    }

    @Test(arguments: [(Initializer.he, 2.0), (.xavier, 1.0)])
    func fanInScaledNormals_haveTheirStandardDeviationPerLayer(initializer: Initializer, gain: Double) {
        // Layer 0 has fan_in 784 (200,704 weights), layer 1 fan_in 256 (25,600): 1% and 2% relative error
        // are several standard errors of a sample std.
        let shapes = [(fanIn: 784.0, count: 784.0 * 256, tolerance: 0.01), (fanIn: 256.0, count: 256.0 * 100, tolerance: 0.02)]
        for (layer, shape) in zip(InitializerTests.moments(initializer), shapes) {
            let expected = (gain / shape.fanIn).squareRoot()
            #expect(abs(layer.std / expected - 1) < shape.tolerance, "std \(layer.std), expected \(expected)")
            // Within five standard errors of 0.
            #expect(abs(layer.mean) < 5 * expected / shape.count.squareRoot(), "mean \(layer.mean)")
        }
    }

    @Test func fixedNormal_ignoresTheFanIn() {
        for layer in InitializerTests.moments(.normal(std: 0.01)) {
            #expect(abs(layer.std / 0.01 - 1) < 0.02)
        }
    }

    @Test func uniform_staysInItsRangeWithTheUniformSpread() {
        for layer in InitializerTests.moments(.uniform(low: -0.1, high: 0.3)) {
            #expect(layer.min >= -0.1 && layer.max < 0.3)
            #expect(abs(layer.mean - 0.1) < 0.005)
            #expect(abs(layer.std / (0.4 / 12.0.squareRoot()) - 1) < 0.02)
        }
    }
}
