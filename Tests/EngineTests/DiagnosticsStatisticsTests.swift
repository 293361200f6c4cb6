// The diagnostics' reductions against plain Double loops over small in-memory matrices.
import Testing
@testable import Engine

struct DiagnosticsStatisticsTests {
    /// A (rows, columns) Float matrix holding `values`, kept alive by the returned storage.
    static func matrix(_ values: [Float], columns: Int) -> (Storage<Float>, Matrix<Float>) {
        let storage = Storage<Float>(count: values.count)
        let m = storage.carve(rows: values.count / columns, columns: columns)
        m.assign(values)
        return (storage, m)
    }

    @Test func moments_matchPlainSumsAndExtremes() {
        let values: [Float] = [0.5, -2, 3.25, 0, 1e-3, 7]
        let (storage, m) = DiagnosticsStatisticsTests.matrix(values, columns: 3)
        let moments = Statistics.moments(m)
        #expect(abs(moments.sum - values.reduce(0.0) { $0 + Double($1) }) < 1e-6)
        #expect(abs(moments.sumOfSquares - values.reduce(0.0) { $0 + Double($1) * Double($1) }) < 1e-5)
        #expect(moments.minimum == -2 && moments.maximum == 7)
        withExtendedLifetime(storage) {}
    }

    @Test func sums_stayFiniteForValuesWhoseFloatSquaresOverflow() {
        // 40 values of 1e25 (a diverging run's weights): Σx² = 4e51, far past Float's 3.4e38.
        let (storage, m) = DiagnosticsStatisticsTests.matrix(Array(repeating: 1e25, count: 40), columns: 40)
        #expect(abs(Statistics.sumOfSquares(m) / 4e51 - 1) < 1e-6)
        #expect(abs(Statistics.moments(m).sumOfSquares / 4e51 - 1) < 1e-6)
        #expect(abs(Statistics.momentumStepSquares(velocity: m, learningRate: 1) / 4e51 - 1) < 1e-6)
        withExtendedLifetime(storage) {}
    }

    @Test func silentColumns_countsUnitsNeverPositiveInTheBatch() {
        // Column 0 fires once, column 1 never (zeros and negatives), column 2 always, column 3 only zeros.
        let (storage, m) = DiagnosticsStatisticsTests.matrix([0, -1, 2, 0,
                                                              0, 0, 3, 0,
                                                              1e-7, -5, 1, 0], columns: 4)
        #expect(Statistics.silentColumns(m) == 2)
        withExtendedLifetime(storage) {}
    }

    @Test func countOutside_countsValuesBeyondTheBand() {
        let (storage, m) = DiagnosticsStatisticsTests.matrix([0.01, 0.02, 0.5, 0.98, 0.99, 1], columns: 6)
        #expect(Statistics.countOutside(m, low: 0.02, high: 0.98) == 3)
        withExtendedLifetime(storage) {}
    }

    @Test func histogram_binsEqualWidthsAndKeepsTheMaximumInTheLastBin() {
        let (storage, m) = DiagnosticsStatisticsTests.matrix([0, 0.05, 0.1, 0.55, 0.999, 1, -3, .nan], columns: 8)
        let counts = Statistics.histogram(m, low: 0, high: 1, bins: 10)
        // 0, 0.05, -3 (below) and NaN land in bin 0; 0.1 in bin 1; 0.55 in bin 5; 0.999 and 1 in bin 9.
        #expect(counts == [4, 1, 0, 0, 0, 1, 0, 0, 0, 2])
        withExtendedLifetime(storage) {}
    }

    @Test func stepSquares_matchTheUpdateRulesWorkedByHand() {
        let (ps, p) = DiagnosticsStatisticsTests.matrix([1, -2], columns: 2)
        let (gs, g) = DiagnosticsStatisticsTests.matrix([0.5, 0.25], columns: 2)
        // SGD without decay: Δ = lr·g.
        #expect(abs(Statistics.sgdStepSquares(parameters: p, gradients: g, learningRate: 0.1, weightDecay: 0)
                    - (0.05 * 0.05 + 0.025 * 0.025)) < 1e-12)
        // With decay the old p is rebuilt: old = (p + lr·g)/(1 − lr·wd); Δ = lr·(g + wd·old) = old − p.
        let lr = 0.1, wd = 0.5
        let old = [(1 + lr * 0.5) / (1 - lr * wd), (-2 + lr * 0.25) / (1 - lr * wd)]
        let expected = (old[0] - 1) * (old[0] - 1) + (old[1] + 2) * (old[1] + 2)
        let decayed = Statistics.sgdStepSquares(parameters: p, gradients: g, learningRate: lr, weightDecay: wd)
        #expect(abs(decayed - expected) < 1e-5 * expected)
        #expect(abs(Statistics.momentumStepSquares(velocity: g, learningRate: 2) - 4 * (0.25 + 0.0625)) < 1e-12)
        let adam = Statistics.adamStepSquares(first: g, second: g, stepSize: 0.01, correction2: 1, epsilon: 0)
        #expect(abs(adam - 1e-4 * (0.25 / 0.5 + 0.0625 / 0.25)) < 1e-10)
        withExtendedLifetime((ps, gs)) {}
    }
}
