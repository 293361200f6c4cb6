// A network's layers as the API shows them (jobs, presets and model records alike): what Keras's summary()
// prints, from the resolved plan.
import Engine

extension NetworkSpec {
    /// Per layer, the output layer last: type, activation (null for layers without one; the output's for the
    /// last), output shape (channels, height, width), parameters, and `leaky_slope` where there is one.
    var layerSummaries: [JSONValue] {
        plan.enumerated().map { index, layer in
            let shape = layer.outputShape
            let activation: JSONValue = index == plan.count - 1 ? .string(output.rawValue)
                : layer.activation.map { .string($0.name) } ?? .null
            var entry: [String: JSONValue] = [
                "type": .string(layer.typeName), "activation": activation,
                "output_shape": .array([.int(shape.channels), .int(shape.height), .int(shape.width)]),
                "parameters": .int(layer.parameterCount),
            ]
            if index < plan.count - 1, case .leakyRelu(let slope)? = layer.activation { entry["leaky_slope"] = .double(slope) }
            return .object(entry)
        }
    }

    /// `{"parameters", "layers"}`: the total and `layerSummaries`.
    var architectureSummary: JSONValue { ["parameters": .int(parameterCount), "layers": .array(layerSummaries)] }
}
