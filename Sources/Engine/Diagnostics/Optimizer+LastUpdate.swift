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
        let s = settings, lr = lastRate
        let wd = index % 2 == 0 ? s.weightDecay : 0
        let first = state.view(offset: offset, rows: 1, columns: s.kind.slots > 0 ? count : 0)
        let second = state.view(offset: state.count / 2 + offset, rows: 1, columns: s.kind.slots > 1 ? count : 0)
        // Mirror `update`'s arithmetic, in Double.
        let stepSize = lr / (1 - Foundation.pow(s.beta1, Double(step)))
        let correction2 = (1 - Foundation.pow(s.beta2, Double(step))).squareRoot()
        let squares: Double
        switch s.kind {
        case .sgd:
            // Weight decay applies to weights (even indices) only, as in `update`.
            squares = Statistics.sgdStepSquares(parameters: value, gradients: gradient, learningRate: lr, weightDecay: wd)
        case .momentum:
            squares = Statistics.momentumStepSquares(velocity: first, learningRate: lr)
        case .nesterov:
            squares = Statistics.nesterovStepSquares(parameters: value, gradients: gradient, velocity: first, learningRate: lr,
                                                     momentum: s.momentum, weightDecay: wd)
        case .adam:
            squares = Statistics.adamStepSquares(first: first, second: second, stepSize: stepSize, correction2: correction2,
                                                 epsilon: s.epsilon)
        case .adamw:
            squares = Statistics.adamwStepSquares(parameters: value, first: first, second: second, stepSize: stepSize,
                                                  correction2: correction2, epsilon: s.epsilon, shrink: 1 - lr * wd)
        }
        return squares.squareRoot()
    }
}
