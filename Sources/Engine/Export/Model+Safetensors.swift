// A model as safetensors: its weights and biases as F32 tensors `layers.{i}.weight` / `layers.{i}.bias` (i =
// index in `layers`; dense [out, in], conv2d [out, in, kh, kw], PyTorch's layouts) and the architecture, the
// mnistd-net-v2 JSON without tensors, in `__metadata__.architecture`. Reading one back checks every tensor
// against its layer, then the whole model as a JSON import would.
import Foundation

extension Model {
    /// The `__metadata__` key holding the architecture JSON.
    public static let architectureKey = "architecture"

    /// The model as a safetensors file (tensors in layer order). `metadata` may add entries computed from the
    /// bytes the tensors take after the header (a checksum).
    public func safetensorsData(metadata: (([UInt8]) -> [String: String])? = nil) -> Data {
        var tensors: [String: SafetensorsFile.Tensor] = [:]
        var order: [String] = []
        for (i, layer) in layers.enumerated() where layer.hasParameters {
            var shape = [layer.bias.count, layer.weights.first?.count ?? 0]
            if case .conv2d(let kernel, _, _) = layer.kind {
                shape = [layer.bias.count, shape[1] / max(1, kernel.height * kernel.width), kernel.height, kernel.width]
            }
            tensors["layers.\(i).weight"] = SafetensorsFile.Tensor(shape: shape, values: layer.weights.flatMap { $0 })
            tensors["layers.\(i).bias"] = SafetensorsFile.Tensor(shape: [layer.bias.count], values: layer.bias)
            order += ["layers.\(i).weight", "layers.\(i).bias"]
        }
        var file = SafetensorsFile(tensors: tensors, metadata: [Model.architectureKey: architectureJSON])
        if let metadata { file.metadata.merge(metadata(file.tensorBytes(order: order))) { $1 } }
        return file.encoded(order: order)
    }

    /// Whether `data` looks like a safetensors file rather than JSON.
    public static func isSafetensors(_ data: Data) -> Bool { SafetensorsFile.looksLike(data) }

    /// Reads a safetensors model; an error names the tensor, metadata field or layer that is wrong.
    public init(safetensors data: Data) throws { self = try Model.readSafetensors(data).model }

    /// The model of a safetensors file and the file's whole `__metadata__`.
    public static func readSafetensors(_ data: Data) throws -> (model: Model, metadata: [String: String]) {
        let file = try SafetensorsFile(parsing: data)
        guard let text = file.metadata[Model.architectureKey] else {
            throw ModelError.missingField("__metadata__.\(Model.architectureKey)")
        }
        guard var architecture = (try? JSONTree.parse(Data(text.utf8))) as? [String: Any] else {
            throw ModelError.invalidField(field: "__metadata__.\(Model.architectureKey)", message: "is not a JSON object")
        }
        guard var layers = architecture["layers"] as? [Any] else { throw ModelError.missingField("layers") }
        var used: Set<String> = []
        for (i, raw) in layers.enumerated() {
            guard var layer = raw as? [String: Any], let type = layer["type"] as? String, type == "dense" || type == "conv2d" else { continue }
            func tensor(_ name: String) throws -> SafetensorsFile.Tensor {
                guard let t = file.tensors[name] else {
                    throw ModelError.layerShape(layer: i, message: "the tensor \(name) of this \(type) layer is missing")
                }
                used.insert(name)
                return t
            }
            let weight = try tensor("layers.\(i).weight"), bias = try tensor("layers.\(i).bias")
            let rank = type == "dense" ? 2 : 4
            guard weight.shape.count == rank, weight.shape[0] >= 1, bias.shape == [weight.shape[0]] else {
                throw ModelError.layerShape(layer: i, message: "layers.\(i).weight has shape \(weight.shape) and layers.\(i).bias "
                    + "\(bias.shape); a \(type) layer needs \(rank == 2 ? "[out, in]" : "[out, in, kh, kw]") and [out]")
            }
            if rank == 4, let kernel = layer["kernel"] {
                let sides = (kernel as? [Any])?.compactMap(JSONTree.number) ?? JSONTree.number(kernel).map { [$0, $0] } ?? []
                guard sides.map(Int.init) == Array(weight.shape[2...]) else {
                    throw ModelError.layerShape(layer: i, message: "layers.\(i).weight is \(weight.shape), its kernel \(sides.map(Int.init))")
                }
            }
            let columns = weight.shape.dropFirst().reduce(1, *)
            layer["weights"] = Model.FloatRows(rows: (0..<weight.shape[0]).map { Array(weight.values[($0 * columns)..<(($0 + 1) * columns)]) })
            layer["bias"] = bias.values
            layers[i] = layer
        }
        if let extra = file.tensors.keys.sorted().first(where: { !used.contains($0) }) {
            throw ModelError.invalidField(field: extra, message: "belongs to no dense or conv2d layer of the architecture")
        }
        architecture["layers"] = layers
        return (try Model(json: architecture), file.metadata)
    }
}
