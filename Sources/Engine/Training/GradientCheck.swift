// Backprop checked against central differences, both in double precision, through the very Network code
// that trains (generic over the scalar). Coordinates whose ±h or ±2h perturbation flips a ReLU-family unit across
// its kink are skipped and counted: there the function is not differentiable and differences lie (docs/diagnostics.md).

/// The comparison for one parameter tensor.
public struct GradientCheckResult: Equatable, Sendable {
    /// "layers.0.weight", "layers.0.bias", …
    public let name: String
    /// max |analytic − numeric| / max(|analytic|, |numeric|, 1e-8) over the checked coordinates.
    public let maxRelativeError: Double
    /// Coordinates compared.
    public let checked: Int
    /// Coordinates skipped because a ReLU/leaky unit crossed its kink between θ−2h and θ+2h.
    public let skippedKinks: Int
}

public enum GradientCheck {
    /// Checks a random network built from `model` (inputs 784, outputs 10 unless given) on `samples` random
    /// images in [0, 1) with random labels. At most `maxCoordinates` coordinates per tensor are checked
    /// (all of them for small tensors), chosen by `seed`. Any layer stack (`model.layers`) is checked; throws the
    /// ConfigError of a stack whose shapes do not fit.
    public static func run(model: ModelConfig, samples: Int, seed: UInt64, inputs: Int = 784, outputs: Int = 10,
                           maxCoordinates: Int = 32, step h: Double = 1e-4) throws -> [GradientCheckResult] {
        try run(spec: model.networkSpec(inputs: inputs, outputs: outputs), initializer: model.weightInitializer,
            samples: samples, seed: seed, maxCoordinates: maxCoordinates, step: h)
    }

    static func run(spec: NetworkSpec, initializer: Initializer, samples: Int, seed: UInt64,
                    maxCoordinates: Int, step h: Double, input: [Double]? = nil,
                    corruptGradient: (Double) -> Double = { $0 }) -> [GradientCheckResult] {
        precondition(samples > 0 && maxCoordinates > 0)
        var random = SeededRandom(seed: seed)
        let network = Network<Double>(spec: spec)
        network.initialize(initializer, random: &random)
        // Non-zero biases, so their gradients are exercised away from the all-zero start.
        for layer in network.layers.compactMap(\.parameters) {
            for j in 0..<layer.bias.count { layer.bias[j] = 0.1 * random.nextNormal() }
        }
        let workspace = Workspace<Double>(spec: spec, capacity: samples)
        // Dropout: one fixed mask, drawn once, so every perturbed pass computes the same function.
        workspace.isTraining = true
        network.drawDropoutMasks(workspace, rows: samples, random: &random)
        workspace.input.assign(input ?? (0..<workspace.input.count).map { _ in random.nextUnit() })
        for r in 0..<samples { workspace.targets[r, random.nextIndex(below: spec.outputs)] = 1 }

        network.forward(workspace, rows: samples)
        _ = network.backward(workspace, rows: samples)
        // `corruptGradient` exists for the test that proves this check can fail.
        let analytic = network.parameterTensors.map { $0.gradient.toArray().map(corruptGradient) }

        func lossAndKinks() -> (Double, [Int]) {
            network.forward(workspace, rows: samples)
            return (network.loss(workspace, rows: samples), kinkSides(network, workspace))
        }
        return zip(network.parameterNames, network.parameterTensors).enumerated().map { index, named in
            let (name, tensor) = named
            var worst = 0.0, checked = 0, skipped = 0
            for k in coordinates(count: tensor.value.count, limit: maxCoordinates, random: &random) {
                let saved = tensor.value[k]
                var losses: [Double] = [], sides: [[Int]] = []
                for offset in [2 * h, h, -h, -2 * h] {
                    tensor.value[k] = saved + offset
                    let (loss, side) = lossAndKinks()
                    losses.append(loss)
                    sides.append(side)
                }
                tensor.value[k] = saved
                if sides.contains(where: { $0 != sides[0] }) { skipped += 1; continue }
                // Five-point central stencil: truncation error O(h⁴), so h can be large enough that rounding
                // noise (~1e-16 · loss / h) stays far below the tolerance even for small gradients.
                let numeric = (8 * (losses[1] - losses[2]) - (losses[0] - losses[3])) / (12 * h)
                let exact = analytic[index][k]
                worst = max(worst, abs(exact - numeric) / max(abs(exact), abs(numeric), 1e-8))
                checked += 1
            }
            return GradientCheckResult(name: name, maxRelativeError: worst, checked: checked, skippedKinks: skipped)
        }
    }

    /// Which side of 0 every kinked unit's pre-activation lies on (ReLU-family layers, a relu output), and
    /// which input each max-pool window takes: a perturbation that changes any of them crossed a kink.
    private static func kinkSides(_ network: Network<Double>, _ workspace: Workspace<Double>) -> [Int] {
        var sides: [Int] = []
        let last = network.layers.count - 1
        for l in 0..<network.layers.count {
            if case .maxPool(let pool) = network.layers[l] {
                let x = l == 0 ? workspace.input : workspace.a[l - 1]
                Pooling.firstMaxima(x, pool.geometry) { _, _, best in sides.append(best) }
                continue
            }
            let kinked = l == last ? network.spec.output == .relu : network.activations[l]?.hasKink ?? false
            guard kinked else { continue }
            let z = workspace.z[l]
            for k in 0..<z.count { sides.append(z[k] > 0 ? 1 : 0) }
        }
        return sides
    }

    /// All indices when `count ≤ limit`, else `limit` distinct indices drawn by a partial Fisher–Yates shuffle.
    private static func coordinates(count: Int, limit: Int, random: inout SeededRandom) -> [Int] {
        guard count > limit else { return Array(0..<count) }
        var indices = Array(0..<count)
        for i in 0..<limit { indices.swapAt(i, i + random.nextIndex(below: count - i)) }
        return Array(indices[0..<limit])
    }
}
