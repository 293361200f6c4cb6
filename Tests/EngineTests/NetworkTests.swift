// The Float path (Gemm.multiply) and the Double path (plain loops) compute the same loss and gradients,
// which ties the trained network to the one the gradient check verifies.
import Testing
@testable import Engine

struct NetworkTests {
    @Test(arguments: [OutputActivation.softmax, .sigmoid, .relu, .linear])
    func floatAndDoublePaths_agreeOnLossAndEveryGradient(output: OutputActivation) {
        NetworkTests.compareFloatWithDouble(
            NetworkSpec(inputs: 40, hidden: [33, 17], outputs: 10, activation: .tanh, output: output))
    }

    /// The Float path fuses relu-family activations and their backprop gate into the gemm (writing no z);
    /// Double runs them as separate passes over z.
    @Test(arguments: [Activation.relu, .leakyRelu(slope: 0.1), .leakyRelu(slope: 0)])
    func fusedActivations_agreeWithTheUnfusedDoublePath(activation: Activation) {
        #expect(Network<Float>(spec: NetworkSpec(inputs: 4, hidden: [3], outputs: 2, activation: activation,
                                                 output: .softmax)).fusedActivation != nil)
        NetworkTests.compareFloatWithDouble(
            NetworkSpec(inputs: 40, hidden: [33, 50, 17], outputs: 10, activation: activation, output: .softmax))
    }

    @Test func negativeLeakySlope_isNotFused() {
        // Its outputs do not have the sign of its inputs, so backprop could not gate on them.
        let spec = NetworkSpec(inputs: 4, hidden: [3], outputs: 2, activation: .leakyRelu(slope: -0.5), output: .softmax)
        #expect(Network<Float>(spec: spec).fusedActivation == nil)
        NetworkTests.compareFloatWithDouble(
            NetworkSpec(inputs: 40, hidden: [33, 17], outputs: 10, activation: .leakyRelu(slope: -0.5), output: .softmax))
    }

    static func compareFloatWithDouble(_ spec: NetworkSpec) {
        var random = SeededRandom(seed: 8)
        let double = Network<Double>(spec: spec)
        double.initialize(.xavier, random: &random)
        let single = Network<Float>(spec: spec)
        single.parameters.assign(double.parameters.toArray().map { Float($0) })
        double.parameters.assign(single.parameters.toArray().map { Double($0) })
        let input = (0..<(13 * 40)).map { _ in random.nextUnit() }
        let labels = (0..<13).map { _ in random.nextIndex(below: 10) }
        let wd = Workspace<Double>(spec: spec, capacity: 16), wf = Workspace<Float>(spec: spec, capacity: 16)
        wd.input.prefix(rows: 13).assign(input)
        wf.input.prefix(rows: 13).assign(input.map { Float($0) })
        for (row, label) in labels.enumerated() { wd.targets[row, label] = 1; wf.targets[row, label] = 1 }
        double.forward(wd, rows: 13)
        single.forward(wf, rows: 13)
        let lossD = double.backward(wd, rows: 13), lossF = single.backward(wf, rows: 13)
        #expect(abs(Double(lossF) - lossD) / lossD < 1e-5)
        let gd = double.gradients.toArray(), gf = single.gradients.toArray()
        let scale = gd.map(abs).max() ?? 1
        let worst = zip(gd, gf).map { abs($0 - Double($1)) / scale }.max() ?? 0
        #expect(worst < 1e-5, "largest gradient difference relative to the largest gradient: \(worst)")
    }
}
