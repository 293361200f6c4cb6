// Writing a model as ONNX (opset 13): input `image` float32 [N, 1, 28, 28], already normalised as the model's
// `normalize` says, output `probabilities` [N, 10], the same numbers Predictor gives. Weights are initializers
// named `layers.{i}.weight` / `layers.{i}.bias` (i = index in `layers`), in PyTorch's layouts, which are
// ONNX's: Gemm with transB = 1 for dense layers, Conv's [out][in][kh][kw] for conv2d.
import Foundation

extension Model {
    /// The model as an ONNX ModelProto. A network that reads the image as features (every dense-only one)
    /// flattens it first; dropout, the identity in predictions, leaves no node.
    public func onnxData() -> Data {
        var graph = ONNXGraph()
        var x = "image"
        var flat = false
        for (i, layer) in layers.enumerated() {
            let isLast = i == layers.count - 1
            switch layer.kind {
            case .dense:
                if !flat { x = graph.add("Flatten", [x], [("axis", .int(1))]); flat = true }
                let w = graph.constant("layers.\(i).weight", dims: [layer.bias.count, layer.weights.first?.count ?? 0],
                                       layer.weights.flatMap { $0 })
                let b = graph.constant("layers.\(i).bias", dims: [layer.bias.count], layer.bias)
                x = graph.add("Gemm", [x, w, b], [("transB", .int(1))])
                if !isLast { x = Model.addActivation(layer, on: x, to: &graph) }
            case .conv2d(let kernel, let step, let padding):
                let rows = layer.weights.first?.count ?? 0
                let channels = rows / max(1, kernel.height * kernel.width)
                let w = graph.constant("layers.\(i).weight", dims: [layer.bias.count, channels, kernel.height, kernel.width],
                                       layer.weights.flatMap { $0 })
                let b = graph.constant("layers.\(i).bias", dims: [layer.bias.count], layer.bias)
                // [top, left, bottom, right]; "same" puts an even kernel's extra row/column after, as PyTorch.
                let pads: [Int]
                switch padding {
                case .explicit(let p): pads = [p.height, p.width, p.height, p.width]
                case .same:
                    let top = (kernel.height - 1) / 2, left = (kernel.width - 1) / 2
                    pads = [top, left, kernel.height - 1 - top, kernel.width - 1 - left]
                }
                x = graph.add("Conv", [x, w, b], [("kernel_shape", .ints([kernel.height, kernel.width])),
                                                  ("strides", .ints([step.height, step.width])), ("pads", .ints(pads))])
                x = Model.addActivation(layer, on: x, to: &graph)
            case .maxPool(let pool), .avgPool(let pool):
                let op = if case .maxPool = layer.kind { "MaxPool" } else { "AveragePool" }
                x = graph.add(op, [x], [("kernel_shape", .ints([pool.size.height, pool.size.width])),
                                        ("strides", .ints([pool.stride.height, pool.stride.width]))])
            case .dropout:
                break
            case .flatten:
                x = graph.add("Flatten", [x], [("axis", .int(1))])
                flat = true
            }
        }
        Model.addHead(output, outputs: outputs, on: x, to: &graph)
        return Data(graph.encoded(name: "mnistd", input: "image", inputDims: [1, 28, 28],
                                  output: "probabilities", outputs: outputs))
    }

    private static func addActivation(_ layer: Layer, on x: String, to graph: inout ONNXGraph) -> String {
        switch layer.activationValue ?? .linear {
        case .relu: return graph.add("Relu", [x])
        case .leakyRelu(let slope): return graph.add("LeakyRelu", [x], [("alpha", .float(Float(slope)))])
        case .sigmoid: return graph.add("Sigmoid", [x])
        case .tanh: return graph.add("Tanh", [x])
        case .softplus: return graph.add("Softplus", [x])
        case .linear: return x
        }
    }

    /// Predictor's probabilities from the output layer's values: softmax as it is (and of linear outputs);
    /// sigmoid and relu outputs over their sum, uniform where a relu row is all 0.
    private static func addHead(_ output: OutputActivation, outputs: Int, on x: String, to graph: inout ONNXGraph) {
        let result = "probabilities"
        switch output {
        case .softmax, .linear:
            _ = graph.add("Softmax", [x], [("axis", .int(1))], output: result)
        case .sigmoid, .relu:
            let a = graph.add(output == .sigmoid ? "Sigmoid" : "Relu", [x])
            // The row sums as a product with a column of ones: [N, outputs] · [outputs, 1].
            let ones = graph.constant("ones", dims: [outputs, 1], Array(repeating: 1, count: outputs))
            let sum = graph.add("MatMul", [a, ones])
            if output == .sigmoid {
                _ = graph.add("Div", [a, sum], output: result)
            } else {
                let ratio = graph.add("Div", [a, sum])
                let zero = graph.constant("zero", dims: [], [0])
                let positive = graph.add("Greater", [sum, zero])
                let uniform = graph.constant("uniform", dims: [outputs], Array(repeating: 1 / Float(outputs), count: outputs))
                _ = graph.add("Where", [positive, ratio, uniform], output: result)
            }
        }
    }
}
