// Writing a model as `mnistd-net-v2` JSON, whatever its layers (a dense-only one has dense entries only, on a
// flat input, as in v1). Every Float is written in its shortest exact form, so export → import gives back
// bit-identical weights and export → import → export the same bytes.
import Foundation

extension Model {
    /// The model as `mnistd-net-v2` JSON: `input`, `normalize`, `output`, then `layers` input side first, each
    /// with its `type`; conv weights nested [out][in][kh][kw] and dense weights [out][in], as PyTorch holds them.
    public func jsonData() -> Data { Data(jsonText(tensors: true).utf8) }

    /// The same JSON without any layer's `weights` and `bias`: the architecture a safetensors export carries.
    public var architectureJSON: String { jsonText(tensors: false) }

    private func jsonText(tensors: Bool) -> String {
        var text = "{\"format\":\"\(Model.format)\",\"input\":\(Model.json(input)),"
            + "\"normalize\":\"\(normalize.rawValue)\",\"output\":\"\(output.rawValue)\",\"layers\":["
        for (index, layer) in layers.enumerated() {
            if index > 0 { text += "," }
            Model.write(layer, tensors: tensors, into: &text)
        }
        text += "]}"
        return text
    }

    private static func write(_ layer: Layer, tensors: Bool, into text: inout String) {
        text += "{\"type\":\"\(layer.typeName)\""
        switch layer.kind {
        case .dense:
            writeActivation(layer, into: &text)
            guard tensors else { break }
            text += ",\"weights\":[" + layer.weights.map(numbers).joined(separator: ",") + "]"
            text += ",\"bias\":" + numbers(layer.bias)
        case .conv2d(let kernel, let step, let padding):
            text += ",\"kernel\":\(json(kernel)),\"stride\":\(json(step)),\"padding\":"
            if case .explicit(let p) = padding { text += json(p) } else { text += "\"same\"" }
            writeActivation(layer, into: &text)
            guard tensors else { break }
            // Each filter's row is [in][kh][kw] in order: split it back into its nesting.
            let taps = kernel.height * kernel.width
            text += ",\"weights\":[" + layer.weights.map { row in
                "[" + stride(from: 0, to: row.count, by: taps).map { channel in
                    "[" + (0..<kernel.height).map { r in
                        numbers(row[(channel + r * kernel.width)..<(channel + (r + 1) * kernel.width)])
                    }.joined(separator: ",") + "]"
                }.joined(separator: ",") + "]"
            }.joined(separator: ",") + "]"
            text += ",\"bias\":" + numbers(layer.bias)
        case .maxPool(let pool), .avgPool(let pool):
            text += ",\"size\":\(json(pool.size)),\"stride\":\(json(pool.stride))"
        case .dropout(let rate):
            text += ",\"rate\":\(rate)"
        case .flatten:
            break
        }
        text += "}"
    }

    private static func writeActivation(_ layer: Layer, into text: inout String) {
        text += ",\"activation\":\"\(layer.activation ?? "")\""
        if let slope = layer.leakySlope { text += ",\"leaky_slope\":\(slope)" }
    }

    private static func numbers<C: Collection>(_ values: C) -> String where C.Element == Float {
        "[" + values.map { "\($0)" }.joined(separator: ",") + "]"
    }

    private static func json(_ extent: Extent2D) -> String { "[\(extent.height),\(extent.width)]" }

    /// [features] for a flat vector, [channels, height, width] for an image.
    private static func json(_ shape: TensorShape) -> String {
        shape.positions == 1 ? "[\(shape.channels)]" : "[\(shape.channels),\(shape.height),\(shape.width)]"
    }
}
