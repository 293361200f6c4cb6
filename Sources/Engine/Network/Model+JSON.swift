// Reading and writing the `mnistd-mlp-v1` JSON. Export writes each Float in its shortest exact form, so
// export → import gives back bit-identical weights.
import Foundation

extension Model {
    static let hiddenActivations = ["relu", "leaky_relu", "sigmoid", "tanh", "softplus"]

    /// Parses an exported model, checking format, shapes (naming the layer), activations and finiteness.
    public init(jsonData data: Data) throws {
        guard let tree = try? JSONTree.parse(data) else { throw ModelError.notJSON }
        try self.init(json: tree)
    }

    /// Parses an exported model from a JSONSerialization tree.
    public init(json tree: Any) throws {
        guard let object = tree as? [String: Any] else { throw ModelError.notJSON }
        guard let format = object["format"] as? String else { throw ModelError.missingField("format") }
        guard format == Model.format else { throw ModelError.wrongFormat(format) }
        guard let outputName = object["output"] as? String else { throw ModelError.missingField("output") }
        guard let output = OutputActivation(rawValue: outputName) else {
            throw ModelError.invalidField(field: "output", message: "must be softmax | sigmoid | relu | linear")
        }
        var normalize = InputNormalization.unit
        if let name = object["normalize"], !(name is NSNull) {
            guard let text = name as? String, let value = InputNormalization(rawValue: text) else {
                throw ModelError.invalidField(field: "normalize", message: "must be unit | standardize")
            }
            normalize = value
        }
        guard let rawLayers = object["layers"] as? [Any] else { throw ModelError.missingField("layers") }
        guard (1...17).contains(rawLayers.count) else {
            throw ModelError.invalidField(field: "layers", message: "must hold 1 to 17 layers, got \(rawLayers.count)")
        }
        var layers: [Layer] = []
        for (index, raw) in rawLayers.enumerated() {
            let previous = layers.last?.bias.count
            layers.append(try Model.parseLayer(raw, index: index, inputs: previous,
                                               isOutput: index == rawLayers.count - 1, output: output))
        }
        if let first = layers.first, layers.count > 1,
           let different = layers.dropLast().firstIndex(where: { $0.activation != first.activation || $0.leakySlope != first.leakySlope }) {
            throw ModelError.layerShape(layer: different, message: "all hidden layers must share one activation (layer 0 has \(first.activation))")
        }
        self.init(layers: layers, output: output, normalize: normalize)
    }

    private static func parseLayer(_ raw: Any, index: Int, inputs: Int?, isOutput: Bool,
                                   output: OutputActivation) throws -> Layer {
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
        guard let rawBias = object["bias"] as? [Any] else { throw ModelError.layerShape(layer: index, message: "bias must be an array") }
        guard rawBias.count == weights.count else {
            throw ModelError.layerShape(layer: index, message: "bias has \(rawBias.count) entries for \(weights.count) weight rows")
        }
        let bias = try rawBias.map { try finiteFloat($0, layer: index) }
        guard let activation = object["activation"] as? String else {
            throw ModelError.layerShape(layer: index, message: "activation must be a string")
        }
        if isOutput {
            guard activation == output.rawValue else {
                throw ModelError.layerShape(layer: index, message: "the last layer's activation \"\(activation)\" differs from output \"\(output.rawValue)\"")
            }
        } else if !hiddenActivations.contains(activation) {
            throw ModelError.unknownActivation(layer: index, name: activation)
        }
        var slope: Double? = nil
        if activation == "leaky_relu" && !isOutput {
            let raw = object["leaky_slope"].flatMap { $0 is NSNull ? nil : $0 }
            guard let value = raw.map(JSONTree.number) ?? 0.01 else {
                throw ModelError.layerShape(layer: index, message: "leaky_slope must be in 0...1")
            }
            guard value.isFinite, value >= 0, value <= 1 else {
                throw ModelError.layerShape(layer: index, message: "leaky_slope must be in 0...1")
            }
            slope = value
        }
        return Layer(weights: weights, bias: bias, activation: activation, leakySlope: slope)
    }

    private static func finiteFloat(_ value: Any, layer: Int) throws -> Float {
        guard let number = JSONTree.number(value) else { throw ModelError.nonFinite(layer: layer) }
        let float = Float(number)
        guard float.isFinite else { throw ModelError.nonFinite(layer: layer) }
        return float
    }

    /// The model as `mnistd-mlp-v1` JSON; floats in their shortest round-trip form.
    public func jsonData() -> Data {
        var text = "{\"format\":\"\(Model.format)\",\"output\":\"\(output.rawValue)\",\"normalize\":\"\(normalize.rawValue)\",\"layers\":["
        for (index, layer) in layers.enumerated() {
            if index > 0 { text += "," }
            text += "{\"activation\":\"\(layer.activation)\","
            if let slope = layer.leakySlope { text += "\"leaky_slope\":\(slope)," }
            text += "\"bias\":[" + layer.bias.map { "\($0)" }.joined(separator: ",") + "],\"weights\":["
            text += layer.weights.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",")
            text += "]}"
        }
        text += "]}"
        return Data(text.utf8)
    }
}
