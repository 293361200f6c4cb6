// The Float path (Gemm.multiply) and the Double path (plain loops) compute the same loss and gradients,
// which ties the trained network to the one the gradient check verifies.
import Testing
@testable import Engine

struct NetworkTests {
    @Test(arguments: [OutputActivation.softmax, .sigmoid, .relu, .linear])
    func floatAndDoublePaths_agreeOnLossAndEveryGradient(output: OutputActivation) {
        let spec = NetworkSpec(inputs: 40, hidden: [33, 17], outputs: 10, activation: .tanh, output: output)
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
