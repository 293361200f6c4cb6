// An ONNX graph as it is built: nodes in order, float tensors as initializers, each value named by a counter.
// `encoded` writes the ModelProto (ir_version 7, opset 13) with onnx.proto's field numbers.
// See https://github.com/onnx/onnx/blob/main/onnx/onnx.proto.

/// The nodes and initializers of an ONNX model with one float input and one float output.
struct ONNXGraph {
    enum Attribute {
        case int(Int)
        case float(Float)
        case ints([Int])
    }

    struct Node {
        var op: String
        var inputs: [String]
        var output: String
        var attributes: [(name: String, value: Attribute)]
    }

    struct Initializer {
        var name: String
        var dims: [Int]
        var values: [Float]
    }

    static let irVersion = 7
    static let opset = 13
    /// TensorProto.DataType
    static let float32 = 1

    private(set) var nodes: [Node] = []
    private(set) var initializers: [Initializer] = []
    private var counter = 0

    /// Adds a node of `op` on `inputs` and returns the name of its output.
    mutating func add(_ op: String, _ inputs: [String], _ attributes: [(name: String, value: Attribute)] = [],
                      output: String? = nil) -> String {
        counter += 1
        let name = output ?? "\(op.lowercased())_\(counter)"
        nodes.append(Node(op: op, inputs: inputs, output: name, attributes: attributes))
        return name
    }

    /// Adds a float tensor of `dims` (row-major `values`) and returns its name.
    mutating func constant(_ name: String, dims: [Int], _ values: [Float]) -> String {
        precondition(dims.reduce(1, *) == values.count, "\(name): \(values.count) values for dims \(dims)")
        initializers.append(Initializer(name: name, dims: dims, values: values))
        return name
    }

    /// The ModelProto: `input` [N, inputDims…] and `output` [N, outputs], N a symbolic batch dimension.
    func encoded(name: String, input: String, inputDims: [Int], output: String, outputs: Int) -> [UInt8] {
        var model = ProtobufWriter()
        model.int(1, ONNXGraph.irVersion)                          // ir_version
        model.string(2, "mnistd")                                  // producer_name
        model.message(7) { graph in                                // graph
            for node in nodes { graph.message(1) { ONNXGraph.write(node, into: &$0) } }
            graph.string(2, name)
            for tensor in initializers { graph.message(5) { ONNXGraph.write(tensor, into: &$0) } }
            graph.message(11) { ONNXGraph.writeValueInfo(input, dims: inputDims, into: &$0) }
            graph.message(12) { ONNXGraph.writeValueInfo(output, dims: [outputs], into: &$0) }
        }
        model.message(8) { opset in opset.int(2, ONNXGraph.opset) } // opset_import (default domain)
        return model.bytes
    }

    private static func write(_ node: Node, into proto: inout ProtobufWriter) {
        for input in node.inputs { proto.string(1, input) }
        proto.string(2, node.output)
        proto.string(3, node.output)                               // name
        proto.string(4, node.op)                                   // op_type
        for (name, value) in node.attributes {
            proto.message(5) { attribute in
                attribute.string(1, name)
                switch value {                                     // AttributeType: FLOAT 1, INT 2, INTS 7
                case .float(let f): attribute.float(2, f); attribute.int(20, 1)
                case .int(let i): attribute.int(3, i); attribute.int(20, 2)
                case .ints(let list): for i in list { attribute.int(8, i) }; attribute.int(20, 7)
                }
            }
        }
    }

    private static func write(_ tensor: Initializer, into proto: inout ProtobufWriter) {
        for d in tensor.dims { proto.int(1, d) }
        proto.int(2, float32)
        proto.string(8, tensor.name)
        var raw: [UInt8] = []
        raw.reserveCapacity(tensor.values.count * 4)
        for v in tensor.values { raw.append(contentsOf: ProtobufWriter.littleEndian(v)) }
        proto.data(9, raw)                                         // raw_data, little-endian
    }

    /// ValueInfoProto of a float tensor [N, dims…].
    private static func writeValueInfo(_ name: String, dims: [Int], into proto: inout ProtobufWriter) {
        proto.string(1, name)
        proto.message(2) { type in                                 // TypeProto
            type.message(1) { tensor in                            // TypeProto.Tensor
                tensor.int(1, float32)                             // elem_type
                tensor.message(2) { shape in                       // TensorShapeProto
                    shape.message(1) { $0.string(2, "N") }         // dim_param
                    for d in dims { shape.message(1) { $0.int(1, d) } }
                }
            }
        }
    }
}
