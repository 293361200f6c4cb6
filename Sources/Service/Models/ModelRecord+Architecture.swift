// A model's architecture as a model record shows it. A multilayer perceptron keeps the summary it always had
// (widths, shared activation); any other stack lists its layers with their output shapes and parameters.
import Engine
import Foundation

extension ModelRecord {
    /// Every model: `"input"`, `"output"`, `"normalize"`, `"parameters"`, `"activation"` (of the first hidden
    /// layer) and `"description"` (one line naming the layers). A dense-only model whose hidden layers share one
    /// activation adds `"layers": [784, 100, ..., 10]` (and `"leaky_slope"`); any other stack adds
    /// `"layers": [{"type", "activation", "output_shape", "parameters"}]`.
    static func architecture(of model: Model) -> JSONValue {
        var summary: [String: JSONValue] = [
            "input": .array(dims(model.input)),
            "output": .string(model.output.rawValue),
            "normalize": .string(model.normalize.rawValue),
            "parameters": .int(model.parameterCount),
            "description": .string(model.architectureDescription),
            "activation": .string(model.hiddenActivation.name),
        ]
        let hidden = model.layers.dropLast()
        if model.isDenseOnly && Set(hidden.map { "\($0.activation ?? "")/\($0.leakySlope ?? 0)" }).count <= 1 {
            summary["layers"] = .array(([model.inputs] + model.hidden + [model.outputs]).map(JSONValue.int))
            if case .leakyRelu(let slope) = model.hiddenActivation, !hidden.isEmpty { summary["leaky_slope"] = .double(slope) }
        } else {
            summary["layers"] = .array(layers(of: model))
        }
        return .object(summary)
    }

    /// Per layer, as GET /presets lists a network's (NetworkSpec.layerSummaries).
    private static func layers(of model: Model) -> [JSONValue] {
        guard let spec = try? model.spec(), spec.plan.count == model.layers.count else { return [] }
        return spec.layerSummaries
    }

    /// [features] for a vector, [channels, height, width] for an image.
    private static func dims(_ shape: TensorShape) -> [JSONValue] {
        (shape.positions == 1 ? [shape.channels] : [shape.channels, shape.height, shape.width]).map(JSONValue.int)
    }
}
