// Reading an exported model: `mnistd-net-v2` (any layer stack) or the dense-only `mnistd-mlp-v1` of earlier
// versions, told apart by `format`. The fields both share are read here, each format's layers in its own file;
// every import ends by resolving the architecture, so a shape that does not fit names its layer.
import Foundation

extension Model {
    /// At most this many layers in a v2 model (v1 allowed 17).
    static let maxLayers = 64
    /// At most this many weights and biases in all: 128 MB of Float32.
    static let maxParameters = 1 << 25

    /// Parses an exported model (v2 or v1), checking format, shapes (naming the layer), activations and finiteness.
    public init(jsonData data: Data) throws {
        guard let tree = try? JSONTree.parse(data) else { throw ModelError.notJSON }
        try self.init(json: tree)
    }

    /// Parses an exported model from a JSONSerialization-style tree (v2 or v1).
    public init(json tree: Any) throws {
        guard let object = tree as? [String: Any] else { throw ModelError.notJSON }
        guard let format = object["format"] as? String else { throw ModelError.missingField("format") }
        guard format == Model.format || format == Model.formatV1 else { throw ModelError.wrongFormat(format) }
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
        guard let layers = object["layers"] as? [Any] else { throw ModelError.missingField("layers") }
        if format == Model.formatV1 {
            self = try Model.readV1(layers: layers, output: output, normalize: normalize)
        } else {
            self = try Model.readV2(object, layers: layers, output: output, normalize: normalize)
        }
        _ = try spec()
    }

    // MARK: - Fields both formats share

    /// A weight or bias: a JSON number a Float holds (no overflow to infinity).
    static func finiteFloat(_ value: Any, layer: Int) throws -> Float {
        guard let number = JSONTree.number(value) else { throw ModelError.nonFinite(layer: layer) }
        let float = Float(number)
        guard float.isFinite else { throw ModelError.nonFinite(layer: layer) }
        return float
    }

    /// A layer's `bias`: an array of `count` finite numbers.
    static func bias(_ object: [String: Any], count: Int, layer: Int) throws -> [Float] {
        if let floats = object["bias"] as? [Float] {
            guard floats.count == count else {
                throw ModelError.layerShape(layer: layer, message: "bias has \(floats.count) entries for \(count) weight rows")
            }
            guard floats.allSatisfy(\.isFinite) else { throw ModelError.nonFinite(layer: layer) }
            return floats
        }
        guard let raw = object["bias"] as? [Any] else { throw ModelError.layerShape(layer: layer, message: "bias must be an array") }
        guard raw.count == count else {
            throw ModelError.layerShape(layer: layer, message: "bias has \(raw.count) entries for \(count) weight rows")
        }
        return try raw.map { try finiteFloat($0, layer: layer) }
    }

    /// A dense or conv layer's `activation` and, for leaky_relu, its `leaky_slope` (default 0.01). The output
    /// layer's activation is any string here; the architecture check compares it with `output`.
    static func activation(_ object: [String: Any], layer: Int, isOutput: Bool) throws -> (name: String, slope: Double?) {
        guard let name = object["activation"] as? String else {
            throw ModelError.layerShape(layer: layer, message: "activation must be a string")
        }
        if isOutput { return (name, nil) }
        guard hiddenActivations.contains(name) else { throw ModelError.unknownActivation(layer: layer, name: name) }
        guard name == "leaky_relu" else { return (name, nil) }
        let raw = object["leaky_slope"].flatMap { $0 is NSNull ? nil : $0 }
        guard let slope = raw.map(JSONTree.number) ?? 0.01, slope.isFinite, slope >= 0, slope <= 1 else {
            throw ModelError.layerShape(layer: layer, message: "leaky_slope must be a number in 0...1")
        }
        return (name, slope)
    }
}
