// The size of the optimizer's last step, rebuilt after the fact from what the step left behind (new
// parameters, gradients, moments), so the training step itself pays nothing for the update ratios.
import Foundation

extension Optimizer where T == Float {
    /// ‖Δ‖ of the last update of parameter tensor `index` (in `network.parameterTensors` order); 0 before any step.
    func lastUpdateNorm(of network: Network<T>, tensor index: Int) -> Double {
        guard step > 0 else { return 0 }
        var offset = 0
        for tensor in network.parameterTensors[..<index] { offset += tensor.value.count }
        let (value, gradient) = network.parameterTensors[index]
        let count = value.count
        let s = settings
        let squares: Double
        switch s.kind {
        case .sgd:
            // Weight decay applies to weights (even indices) only, as in `update`.
            squares = Statistics.sgdStepSquares(parameters: value, gradients: gradient, learningRate: s.learningRate,
                                                weightDecay: index % 2 == 0 ? s.weightDecay : 0)
        case .momentum:
            squares = Statistics.momentumStepSquares(velocity: state.view(offset: offset, rows: 1, columns: count),
                                                     learningRate: s.learningRate)
        case .adam:
            let total = state.count / 2
            // Mirror `update`'s arithmetic, in Double.
            let stepSize = s.learningRate / (1 - Foundation.pow(s.beta1, Double(step)))
            let correction2 = (1 - Foundation.pow(s.beta2, Double(step))).squareRoot()
            squares = Statistics.adamStepSquares(first: state.view(offset: offset, rows: 1, columns: count),
                                                 second: state.view(offset: total + offset, rows: 1, columns: count),
                                                 stepSize: stepSize, correction2: correction2, epsilon: s.epsilon)
        }
        return squares.squareRoot()
    }
}
