// Reading the dense-only `mnistd-mlp-v1` export of earlier versions (and the model files they left in state
// directories): layers of [outputs][inputs] weights on a flat input, the hidden ones sharing one activation.

extension Model {
    /// The model of a v1 `layers` array (format, output and normalize already read).
    static func readV1(layers rawLayers: [Any], output: OutputActivation, normalize: InputNormalization) throws -> Model {
        guard (1...17).contains(rawLayers.count) else {
            throw ModelError.invalidField(field: "layers", message: "must hold 1 to 17 layers, got \(rawLayers.count)")
        }
        var layers: [Layer] = []
        for (index, raw) in rawLayers.enumerated() {
            layers.append(try readV1Layer(raw, index: index, inputs: layers.last?.bias.count,
                                          isOutput: index == rawLayers.count - 1))
        }
        if let first = layers.first, layers.count > 1,
           let different = layers.dropLast().firstIndex(where: { $0.activation != first.activation || $0.leakySlope != first.leakySlope }) {
            throw ModelError.layerShape(layer: different, message: "all hidden layers must share one activation "
                                        + "(layer 0 has \(first.activation ?? "none"))")
        }
        return Model(layers: layers, output: output, normalize: normalize)
    }

    private static func readV1Layer(_ raw: Any, index: Int, inputs: Int?, isOutput: Bool) throws -> Layer {
        guard let object = raw as? [String: Any] else { throw ModelError.layerShape(layer: index, message: "must be an object") }
        guard let rows = object["weights"] as? [Any], !rows.isEmpty, rows.count <= 4096 else {
            throw ModelError.layerShape(layer: index, message: "weights must be a non-empty [outputs][inputs] array of at most 4096 rows")
        }
        var weights: [[Float]] = []
        weights.reserveCapacity(rows.count)
        for row in rows {
            guard let numbers = row as? [Any], !numbers.isEmpty, numbers.count <= 4096 else {
                throw ModelError.layerShape(layer: index, message: "each weights row must be a non-empty array of at most 4096 numbers")
            }
            weights.append(try numbers.map { try finiteFloat($0, layer: index) })
        }
        let width = weights[0].count
        guard weights.allSatisfy({ $0.count == width }) else {
            throw ModelError.layerShape(layer: index, message: "weights rows have different lengths")
        }
        if let inputs, width != inputs {
            throw ModelError.layerShape(layer: index, message: "weights have \(width) columns but layer \(index - 1) has \(inputs) outputs")
        }
        let bias = try bias(object, count: weights.count, layer: index)
        let (activation, slope) = try activation(object, layer: index, isOutput: isOutput)
        return Layer(weights: weights, bias: bias, activation: activation, leakySlope: slope)
    }
}
