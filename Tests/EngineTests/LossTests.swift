// Losses: stable for huge logits, equal to their textbook formulas on ordinary ones, means as documented.
import Foundation
import Testing
@testable import Engine

struct LossTests {
    static func evaluate(_ head: OutputHead, z values: [[Double]], targets: [[Double]]) -> (loss: Double, dZ: [Double]) {
        let rows = values.count, columns = values[0].count
        let storage = Storage<Double>(count: 4 * rows * columns)
        let z = storage.carve(rows: rows, columns: columns), a = storage.carve(rows: rows, columns: columns)
        let y = storage.carve(rows: rows, columns: columns), dZ = storage.carve(rows: rows, columns: columns)
        z.assign(values.joined())
        y.assign(targets.joined())
        head.forward(z: z, a: a)
        return (head.loss(z: z, a: a, targets: y, dZ: dZ), dZ.toArray())
    }

    @Test(arguments: OutputActivation.allCases)
    func crossEntropy_staysFiniteForLogitsOfTenThousand(output: OutputActivation) {
        let head = OutputHead(output: output, loss: .crossEntropy)
        let result = LossTests.evaluate(head, z: [[1e4, -1e4, 0], [-1e4, 1e4, 5]], targets: [[0, 1, 0], [1, 0, 0]])
        let loss: Double = result.loss
        #expect(loss.isFinite && loss > 1000)
        let finite = result.dZ.allSatisfy { $0.isFinite }
        #expect(finite)
    }

    @Test func softmaxCrossEntropy_isTheMeanOfMinusLogSoftmax() {
        let head = OutputHead(output: .softmax, loss: .crossEntropy)
        let z = [[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]]
        let result = LossTests.evaluate(head, z: z, targets: [[0, 1, 0], [1, 0, 0]])
        let p0 = exp(2.0) / (exp(1.0) + exp(2.0) + exp(0.5)), p1 = exp(0.0) / (exp(0.0) + exp(-1.0) + exp(3.0))
        let expectedLoss: Double = (-log(p0) - log(p1)) / 2, expectedGradient: Double = (p0 - 1) / 2
        #expect(abs(result.loss - expectedLoss) < 1e-12)
        #expect(abs(result.dZ[1] - expectedGradient) < 1e-12)
    }

    @Test func sigmoidCrossEntropy_isBinaryCrossEntropyMeanOverAllElements() {
        let head = OutputHead(output: .sigmoid, loss: .crossEntropy)
        let result = LossTests.evaluate(head, z: [[0.3, -2.0]], targets: [[1, 0]])
        let s = { (x: Double) in 1 / (1 + exp(-x)) }
        let expected: Double = (-log(s(0.3)) - log(1 - s(-2.0))) / 2
        #expect(abs(result.loss - expected) < 1e-12)
    }

    @Test func mse_isTheMeanOverAllElementsAsPyTorch() {
        let head = OutputHead(output: .linear, loss: .mse)
        let result = LossTests.evaluate(head, z: [[1, 2], [3, 5]], targets: [[0, 2], [3, 3]])
        #expect(result.loss == 1.25)
        #expect(result.dZ == [0.5, 0, 0, 1])
    }

    @Test func reluOutputWithCrossEntropy_usesLogSoftmaxOfTheOutputsNeverLogOfZero() {
        let head = OutputHead(output: .relu, loss: .crossEntropy)
        // All outputs 0 (dead ReLU): log(0) would be -inf; log-softmax gives log(3).
        let result = LossTests.evaluate(head, z: [[-1, -2, -3]], targets: [[0, 1, 0]])
        #expect(abs(result.loss - log(3.0)) < 1e-12)
        #expect(result.dZ == [0, 0, 0])
    }
}
