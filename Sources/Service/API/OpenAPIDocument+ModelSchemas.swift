// The schemas of an exported model: `mnistd-net-v2` (what export writes: any layer stack) and the dense-only
// `mnistd-mlp-v1` that import still takes. Bounds are the engine's import limits (Model+ImportV2).
import Engine
import Foundation

extension OpenAPIDocument {
    /// An int n (n × n) or [height, width].
    static func extent(_ minimum: Int, _ description: String) -> JSONValue {
        ["oneOf": [integer(minimum, 64), array(integer(minimum, 64), min: 2, max: 2)], "description": .string(description)]
    }

    static let modelSchemas: [String: JSONValue] = [
        "ModelExport": ["oneOf": [ref("ModelExportV2"), ref("ModelExportV1")],
                        "description": "Export writes mnistd-net-v2; import also takes the dense-only mnistd-mlp-v1."],
        "ModelExportV2": object(importFields.merging([
            "format": string(enum: [Model.format]),
            "input": ["enum": [[784], [1, 28, 28]],
                      "description": "[1, 28, 28] for a network that starts with conv2d or pooling; [784] for one that reads the image as a vector."],
            "layers": array(["oneOf": [ref("DenseLayer"), ref("Conv2DLayer"), ref("PoolLayer"), ref("DropoutLayer"), ref("FlattenLayer")]],
                            min: 1, max: 64, "Input side first, the dense output layer last."),
        ]) { $1 }, required: ["format", "input", "layers", "output"], closed: false),
        "DenseLayer": object([
            "type": string(enum: ["dense"]),
            "weights": array(array(float32, min: 1, max: 65536), min: 1, max: 4096, "[out][in], as PyTorch's Linear.weight."),
            "bias": array(float32, min: 1, max: 4096, "[out]"),
            "activation": string("A hidden activation, or for the last layer the model's output.",
                                 enum: activations + outputs.filter { !activations.contains($0) }),
            "leaky_slope": number(0, 1),
        ], required: ["type", "weights", "bias", "activation"]),
        "Conv2DLayer": object([
            "type": string(enum: ["conv2d"]),
            "kernel": extent(1, "Kernel height and width; must match the weights' last two axes."),
            "stride": extent(1, "Default 1."),
            "padding": ["oneOf": [extent(0, "Zero rows and columns on each side."),
                                  string("Output size = input size (stride 1); an even kernel pads one more after.", enum: ["same"])],
                        "description": "Default 0."],
            "weights": array(array(array(array(float32, min: 1, max: 64), min: 1, max: 64), min: 1, max: 1024), min: 1, max: 1024,
                             "[out][in][kh][kw], as PyTorch's Conv2d.weight."),
            "bias": array(float32, min: 1, max: 1024, "[out]"),
            "activation": string(enum: activations),
            "leaky_slope": number(0, 1),
        ], required: ["type", "kernel", "weights", "bias", "activation"]),
        "PoolLayer": object([
            "type": string(enum: ["maxpool", "avgpool"]),
            "size": extent(1, "The window's height and width."),
            "stride": extent(1, "Default: the size."),
        ], required: ["type", "size"]),
        "DropoutLayer": object([
            "type": string(enum: ["dropout"]),
            "rate": number(0, 1, exclusive: (false, true), "Training only; the identity in predictions."),
        ], required: ["type", "rate"]),
        "FlattenLayer": object(["type": string("Channels, rows, columns into one vector, in that order (PyTorch's flatten(1)).",
                                               enum: ["flatten"])], required: ["type"]),
        "ModelExportV1": object(importFields.merging([
            "format": string(enum: [Model.formatV1]),
            "layers": array(object([
                "weights": array(array(float32, min: 1, max: 4096), min: 1, max: 4096, "[out][in]"),
                "bias": array(float32, min: 1, max: 4096, "[out]"),
                "activation": string(enum: activations + outputs.filter { !activations.contains($0) }),
                "leaky_slope": number(0, 1),
            ], required: ["weights", "bias", "activation"]), min: 1, max: 17,
                "Input side first, the output layer last; the layers must chain, from 784 inputs to 10 outputs."),
        ]) { $1 }, required: ["format", "layers", "output"], closed: false),
    ]

    /// The top-level fields both formats share, and the extras import reads.
    private static let importFields: [String: JSONValue] = [
        "output": string(enum: outputs),
        "normalize": nullable(string("How pixels enter (null or left out on import: unit).", enum: ["unit", "standardize"])),
        "name": string("On import: the model's name (cut to 200 characters)."),
        "dataset": ["type": "string", "pattern": .string(ConfigFieldType.namePattern),
                    "description": "On import: the dataset it belongs to (default mnist)."],
    ]
}
