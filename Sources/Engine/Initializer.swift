// Weight initialisers: He (normal, std √(2/fan_in)), Xavier (normal, std √(1/fan_in)), a fixed normal,
// and a uniform range. Biases start at 0. Why the choice matters for ReLU networks: docs/diagnostics.md.

/// How a layer's weights are drawn.
public enum Initializer: Equatable, Sendable {
    case he
    case xavier
    case normal(std: Double)
    case uniform(low: Double, high: Double)

    /// The standard deviation of the normal initialisers for a layer with `fanIn` inputs.
    func standardDeviation(fanIn: Int) -> Double? {
        switch self {
        case .he: return (2.0 / Double(fanIn)).squareRoot()
        case .xavier: return (1.0 / Double(fanIn)).squareRoot()
        case .normal(let std): return std
        case .uniform: return nil
        }
    }

    /// Fills `weights` (outputs, inputs) row by row from `random`; fan_in is the number of columns.
    func fill<T: EngineScalar>(_ weights: Matrix<T>, random: inout SeededRandom) {
        if case .uniform(let low, let high) = self {
            for k in 0..<weights.count { weights[k] = T(random.nextUniform(low, high)) }
            return
        }
        let std = standardDeviation(fanIn: weights.columns)!
        for k in 0..<weights.count { weights[k] = T(random.nextNormal() * std) }
    }
}
