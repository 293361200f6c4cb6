// A model's architecture as a model record shows it: the widths, activation, output and parameter count.
import Engine
import Foundation

extension ModelRecord {
    /// `{"layers": [784, 100, ..., 10], "activation", "output", "normalize", "parameters"}` of a model.
    static func architecture(of model: Model) -> JSONValue {
        let widths = [model.inputs] + model.hidden + [model.outputs]
        let parameters = model.layers.reduce(0) { $0 + $1.bias.count * (($1.weights.first?.count ?? 0) + 1) }
        var summary: [String: JSONValue] = [
            "layers": .array(widths.map(JSONValue.int)),
            "activation": .string(model.hiddenActivation.name),
            "output": .string(model.output.rawValue),
            "normalize": .string(model.normalize.rawValue),
            "parameters": .int(parameters),
        ]
        if case .leakyRelu(let slope) = model.hiddenActivation, model.layers.count > 1 { summary["leaky_slope"] = .double(slope) }
        return .object(summary)
    }
}
