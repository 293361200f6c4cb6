// Reading the layers of an `mnistd-net-v2` export: each entry's type, hyperparameters and tensors, with the
// nesting and sizes checked here; how the layers fit together (shapes, channels, flatten) is checked after, by
// resolving the architecture (Model+Architecture).
import Foundation

extension Model {
    /// Largest filter count and input channel count of a conv2d layer.
    static let maxChannels = 1024
    /// Largest kernel, stride, padding or pooling window side.
    static let maxExtent = 64

    /// The model of a v2 object (format, output and normalize already read).
    static func readV2(_ object: [String: Any], layers rawLayers: [Any], output: OutputActivation,
                       normalize: InputNormalization) throws -> Model {
        let input = try readInput(object["input"])
        guard (1...maxLayers).contains(rawLayers.count) else {
            throw ModelError.invalidField(field: "layers", message: "must hold 1 to \(maxLayers) layers, got \(rawLayers.count)")
        }
        var layers: [Layer] = []
        var parameters = 0
        for (index, raw) in rawLayers.enumerated() {
            let layer = try readV2Layer(raw, index: index, isOutput: index == rawLayers.count - 1)
            parameters += layer.parameterCount
            guard parameters <= maxParameters else {
                throw ModelError.layerShape(layer: index, message: "the model would have more than \(maxParameters) weights and biases")
            }
            layers.append(layer)
        }
        return Model(input: input, layers: layers, output: output, normalize: normalize)
    }

    /// `input`: [features] or [1, height, width] (the engine's images have one channel).
    private static func readInput(_ raw: Any?) throws -> TensorShape {
        guard let raw else { throw ModelError.missingField("input") }
        let fail = ModelError.invalidField(field: "input", message: "must be [features] or [1, height, width] of positive integers, at most 65536 values")
        guard let items = raw as? [Any], items.count == 1 || items.count == 3 else { throw fail }
        let dims = try items.map { item -> Int in
            guard let value = integer(item), (1...65536).contains(value) else { throw fail }
            return value
        }
        guard dims.count == 3 else { return TensorShape(features: dims[0]) }
        guard dims[0] == 1 else {
            throw ModelError.invalidField(field: "input", message: "images must have 1 channel, got \(dims[0])")
        }
        guard dims[1] * dims[2] <= 65536 else { throw fail }
        return TensorShape(channels: 1, height: dims[1], width: dims[2])
    }

    private static func readV2Layer(_ raw: Any, index: Int, isOutput: Bool) throws -> Layer {
        guard let object = raw as? [String: Any] else { throw ModelError.layerShape(layer: index, message: "must be an object") }
        guard let type = object["type"] as? String else {
            throw ModelError.layerShape(layer: index, message: "type must be a string: conv2d | maxpool | avgpool | dropout | flatten | dense")
        }
        switch type {
        case "dense":
            let weights = try matrix(object["weights"], layer: index)
            let (activation, slope) = try activation(object, layer: index, isOutput: isOutput)
            return Layer(kind: .dense, weights: weights, bias: try bias(object, count: weights.count, layer: index),
                         activation: activation, leakySlope: slope)
        case "conv2d":
            guard let kernel = try extent(object["kernel"], "kernel", layer: index, least: 1) else { throw missing("kernel", index) }
            let stride = try extent(object["stride"], "stride", layer: index, least: 1) ?? Extent2D(square: 1)
            let padding = try readPadding(object["padding"], layer: index)
            let weights = try filters(object["weights"], kernel: kernel, layer: index)
            let (activation, slope) = try activation(object, layer: index, isOutput: isOutput)
            return Layer(kind: .conv2d(kernel: kernel, stride: stride, padding: padding), weights: weights,
                         bias: try bias(object, count: weights.count, layer: index), activation: activation, leakySlope: slope)
        case "maxpool", "avgpool":
            guard let size = try extent(object["size"], "size", layer: index, least: 1) else { throw missing("size", index) }
            let stride = try extent(object["stride"], "stride", layer: index, least: 1)
            let pool = PoolSpec(size: size, stride: stride)
            return Layer(kind: type == "maxpool" ? .maxPool(pool) : .avgPool(pool))
        case "dropout":
            guard let rate = object["rate"].flatMap(JSONTree.number), rate >= 0, rate < 1 else {
                throw ModelError.layerShape(layer: index, message: "rate must be a number in [0, 1)")
            }
            return Layer(kind: .dropout(rate: rate))
        case "flatten":
            return Layer(kind: .flatten)
        default:
            throw ModelError.unknownLayerType(layer: index, name: type)
        }
    }

    // MARK: - Tensors

    /// A dense layer's [outputs][inputs]: at most 4096 rows of at most 65536 numbers.
    private static func matrix(_ raw: Any?, layer: Int) throws -> [[Float]] {
        if let flat = raw as? FloatRows { return try checked(flat.rows, layer: layer) }
        guard let rows = raw as? [Any], (1...4096).contains(rows.count) else {
            throw ModelError.layerShape(layer: layer, message: "weights must be a non-empty [outputs][inputs] array of at most 4096 rows")
        }
        return try rows.map { row in
            guard let numbers = row as? [Any], (1...65536).contains(numbers.count) else {
                throw ModelError.layerShape(layer: layer, message: "each weights row must be a non-empty array of at most 65536 numbers")
            }
            return try numbers.map { try finiteFloat($0, layer: layer) }
        }
    }

    /// A conv layer's [filters][in][kh][kw], kh × kw being `kernel`, as one row of in · kh · kw per filter.
    private static func filters(_ raw: Any?, kernel: Extent2D, layer: Int) throws -> [[Float]] {
        let nesting = "weights must be [filters][in_channels][\(kernel.height)][\(kernel.width)] nested arrays"
            + " (kernel is \(kernel.height)×\(kernel.width); at most \(maxChannels) filters and channels)"
        if let rows = (raw as? FloatRows)?.rows {
            let taps = kernel.height * kernel.width
            guard (1...maxChannels).contains(rows.count), let width = rows.first?.count, width % taps == 0,
                  (1...maxChannels).contains(width / taps) else { throw ModelError.layerShape(layer: layer, message: nesting) }
            return try checked(rows, layer: layer)
        }
        guard let filters = raw as? [Any], (1...maxChannels).contains(filters.count) else {
            throw ModelError.layerShape(layer: layer, message: nesting)
        }
        var channels: Int?
        return try filters.enumerated().map { f, filter in
            guard let planes = filter as? [Any], (1...maxChannels).contains(planes.count) else {
                throw ModelError.layerShape(layer: layer, message: nesting + "; filter \(f) is not")
            }
            guard planes.count == (channels ?? planes.count) else {
                throw ModelError.layerShape(layer: layer, message: "filter \(f) has \(planes.count) input channels, filter 0 has \(channels!)")
            }
            channels = planes.count
            var row: [Float] = []
            row.reserveCapacity(planes.count * kernel.height * kernel.width)
            for plane in planes {
                guard let lines = plane as? [Any], lines.count == kernel.height,
                      lines.allSatisfy({ ($0 as? [Any])?.count == kernel.width }) else {
                    throw ModelError.layerShape(layer: layer, message: nesting + "; filter \(f) is not")
                }
                for line in lines { for value in line as! [Any] { row.append(try finiteFloat(value, layer: layer)) } }
            }
            return row
        }
    }

    /// Weights already read as floats from a binary file, each filter's [in][kh][kw] flattened into one row. A
    /// type of its own, so JSON's nested arrays (which Foundation also casts to [[Float]]) never take this path.
    struct FloatRows { let rows: [[Float]] }

    /// Tensors already read as floats (from a binary file): rows of one length, every value finite.
    private static func checked(_ rows: [[Float]], layer: Int) throws -> [[Float]] {
        guard (1...4096).contains(rows.count), let width = rows.first?.count, (1...65536).contains(width),
              rows.allSatisfy({ $0.count == width }) else {
            throw ModelError.layerShape(layer: layer, message: "weights must be 1 to 4096 rows of one length, 1 to 65536")
        }
        guard rows.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { throw ModelError.nonFinite(layer: layer) }
        return rows
    }

    // MARK: - Hyperparameters

    /// An int n (n × n) or [height, width], each in least...maxExtent; nil when absent or null.
    private static func extent(_ raw: Any?, _ name: String, layer: Int, least: Int) throws -> Extent2D? {
        guard let raw, !(raw is NSNull) else { return nil }
        let fail = ModelError.layerShape(layer: layer, message: "\(name) must be an integer or [height, width] in \(least)...\(maxExtent)")
        let values: [Any] = (raw as? [Any]) ?? [raw, raw]
        guard values.count == 2 else { throw fail }
        let sides = try values.map { value -> Int in
            guard let side = integer(value), (least...maxExtent).contains(side) else { throw fail }
            return side
        }
        return Extent2D(sides[0], sides[1])
    }

    /// `padding`: an int, [height, width] (zeros on each side), or "same"; absent: 0.
    private static func readPadding(_ raw: Any?, layer: Int) throws -> Padding {
        if let text = raw as? String {
            guard text == "same" else {
                throw ModelError.layerShape(layer: layer, message: "padding must be an integer, [height, width] or \"same\"")
            }
            return .same
        }
        return .explicit(try extent(raw, "padding", layer: layer, least: 0) ?? Extent2D(square: 0))
    }

    /// A JSON number with no fraction, as an Int.
    private static func integer(_ value: Any) -> Int? {
        guard let number = JSONTree.number(value), number.rounded() == number, abs(number) < 1e9 else { return nil }
        return Int(number)
    }

    private static func missing(_ field: String, _ layer: Int) -> ModelError {
        ModelError.layerShape(layer: layer, message: "\(field) is missing")
    }
}
