// GET /presets: the named configs a job can start from (`{"preset": "lenet5", ...}` in POST /jobs), each with
// its whole config and its network's layers, shapes and parameter counts, so a client can show one before
// starting it.
import Engine
import Foundation

extension TrainingService {
    func registerPresetRoutes() {
        let body = TrainingService.presetList()
        routes.add(.get, "/presets", inline: true) { _ in json(body) }
    }

    static func presetList() -> JSONValue {
        .object(["presets": .array(JobPreset.all.map { preset in
            // The presets are built in, so their configs always encode and their networks always fit.
            let config = (try? JSONValue(parsing: preset.config.jsonData())) ?? .null
            let spec = try? preset.config.model.networkSpec()
            return ["name": .string(preset.name), "summary": .string(preset.summary), "config": config,
                    "architecture": spec.map(architecture) ?? .null]
        })])
    }

    /// The network's parameters, and each layer of the plan, the output layer last: type, activation, output
    /// shape (channels, height, width) and parameters.
    static func architecture(_ spec: NetworkSpec) -> JSONValue {
        ["parameters": .int(spec.parameterCount), "layers": .array(spec.plan.enumerated().map { index, layer in
            let shape = layer.outputShape
            // The output layer's activation is the model's output (softmax, …), not the plan's placeholder.
            let activation: JSONValue = index == spec.plan.count - 1 ? .string(spec.output.rawValue)
                : layer.activation.map { .string($0.name) } ?? .null
            return ["type": .string(layer.typeName), "activation": activation,
                    "output_shape": .array([.int(shape.channels), .int(shape.height), .int(shape.width)]),
                    "parameters": .int(layer.parameterCount)]
        })]
    }
}
