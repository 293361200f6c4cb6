// One layer of a network's stack, as the network runs it: each case is a forward/backward pair over views of
// the network's parameters and the workspace.

/// A layer of `Network`, in plan order.
enum NetworkLayer<T: EngineScalar> {
    case dense(Dense<T>)
    case conv2d(Conv2D<T>)
    case maxPool(MaxPool<T>)
    case avgPool(AvgPool<T>)
    case dropout(Dropout<T>)
    case flatten(Flatten<T>)

    /// The weight, bias and their gradients of a dense or conv2d layer; nil for layers without parameters.
    var parameters: (weight: Matrix<T>, bias: Matrix<T>, dW: Matrix<T>, dB: Matrix<T>)? {
        switch self {
        case .dense(let d): return (d.weight, d.bias, d.dW, d.dB)
        case .conv2d(let c): return (c.weight, c.bias, c.dW, c.dB)
        default: return nil
        }
    }

    /// The weights of a layer that has them (a programmer error otherwise).
    var weight: Matrix<T> { parameters!.weight }
    var bias: Matrix<T> { parameters!.bias }
    var dW: Matrix<T> { parameters!.dW }
    var dB: Matrix<T> { parameters!.dB }

    /// Builds the layer of `plan` over parameter views carved by `carve(rows, columns)` (weight, bias,
    /// weight gradient, bias gradient, in that order), called only for layers with parameters.
    init(_ plan: LayerPlan, carve: (Int, Int) -> (Matrix<T>, Matrix<T>, Matrix<T>, Matrix<T>)) {
        switch plan {
        case .dense:
            let (w, b, dW, dB) = carve(plan.weightShape!.rows, plan.weightShape!.columns)
            self = .dense(Dense(weight: w, bias: b, dW: dW, dB: dB))
        case .conv2d(let g, _):
            let (w, b, dW, dB) = carve(plan.weightShape!.rows, plan.weightShape!.columns)
            self = .conv2d(Conv2D(geometry: g, weight: w, bias: b, dW: dW, dB: dB))
        case .maxPool(let g): self = .maxPool(MaxPool(geometry: g))
        case .avgPool(let g): self = .avgPool(AvgPool(geometry: g))
        case .dropout(let rate, _): self = .dropout(Dropout(rate: rate))
        case .flatten(let shape): self = .flatten(Flatten(shape: shape))
        }
    }
}
