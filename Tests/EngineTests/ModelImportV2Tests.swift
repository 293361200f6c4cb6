// Importing a broken mnistd-net-v2 export: each case is one mistake in a good CNN export, and the error names
// the layer (or field) and says what is wrong. None may crash or be accepted.
import Foundation
import Testing
@testable import Engine

struct ModelImportV2Tests {
    /// A conv-filter tensor [out][in][kh][kw] of `value`.
    static func filters(_ out: Int, _ channels: Int, _ kh: Int, _ kw: Int, _ value: Any = 0.5) -> [Any] {
        (0..<out).map { _ in (0..<channels).map { _ in (0..<kh).map { _ in [Any](repeating: value, count: kw) } } }
    }

    static func matrix(_ rows: Int, _ columns: Int) -> [Any] {
        (0..<rows).map { _ in [Any](repeating: 0.25, count: columns) }
    }

    /// 1×8×8 → conv 3@3×3 relu → maxpool 2 → conv 2@2×2 tanh → flatten → dense 4 relu → dense 2 softmax.
    static func good() -> [String: Any] {
        ["format": "mnistd-net-v2", "input": [1, 8, 8], "normalize": "unit", "output": "softmax", "layers": [
            ["type": "conv2d", "kernel": [3, 3], "stride": [1, 1], "padding": [0, 0], "activation": "relu",
             "weights": filters(3, 1, 3, 3), "bias": [0.1, 0.2, 0.3]],
            ["type": "maxpool", "size": [2, 2], "stride": [2, 2]],
            ["type": "conv2d", "kernel": 2, "activation": "tanh", "weights": filters(2, 3, 2, 2), "bias": [0, 0]],
            ["type": "flatten"],
            ["type": "dense", "activation": "relu", "weights": matrix(4, 2 * 2 * 2), "bias": [0, 0, 0, 0]],
            ["type": "dense", "activation": "softmax", "weights": matrix(2, 4), "bias": [0, 0]],
        ]]
    }

    /// The error of importing `good()` changed by `change`, or nil when it imports.
    static func error(_ change: (inout [String: Any]) -> Void) throws -> ModelError? {
        var object = good()
        change(&object)
        let data = try JSONSerialization.data(withJSONObject: object)
        do { _ = try Model(jsonData: data); return nil } catch let error as ModelError { return error }
    }

    /// Changes layer `index` of the export.
    static func layer(_ index: Int, _ change: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
        { object in
            var layers = object["layers"] as! [Any]
            var layer = layers[index] as! [String: Any]
            change(&layer)
            layers[index] = layer
            object["layers"] = layers
        }
    }

    @Test func theGoodExport_imports() throws {
        #expect(try ModelImportV2Tests.error { _ in } == nil)
        let model = try Model(jsonData: JSONSerialization.data(withJSONObject: ModelImportV2Tests.good()))
        // "kernel": 2 reads as 2×2, and stride and padding take their defaults.
        #expect(model.layers[2].kind == .conv2d(kernel: Extent2D(square: 2), stride: Extent2D(square: 1), padding: .explicit(Extent2D(square: 0))))
    }

    /// (what is wrong, the change, the layer the error must name, a phrase its message must hold)
    static let cases: [(String, (inout [String: Any]) -> Void, Int, String)] = [
        ("kernel disagrees with the weights", layer(0) { $0["kernel"] = [5, 5] }, 0, "[5][5]"),
        ("weights nested one level short", layer(0) { $0["weights"] = matrix(3, 9) }, 0, "[filters][in_channels]"),
        ("filters with different channel counts", layer(2) { $0["weights"] = [filters(1, 3, 2, 2)[0], filters(1, 2, 2, 2)[0]] }, 2, "filter 1 has 2 input channels"),
        ("input channels that the layer below does not give", layer(2) { $0["weights"] = filters(2, 4, 2, 2) }, 2, "3 channels"),
        ("a dense layer straight after a conv layer", { o in var l = o["layers"] as! [Any]; l.remove(at: 3); o["layers"] = l }, 3, "flatten"),
        ("dense columns that the flatten does not give", layer(4) { $0["weights"] = matrix(4, 9) }, 4, "9 columns but layers[3] gives 8"),
        ("a kernel larger than its padded input", layer(2) { $0["kernel"] = [5, 5]; $0["weights"] = filters(2, 3, 5, 5) }, 2, "smaller than its kernel"),
        ("a pool window larger than its input", layer(1) { $0["size"] = [9, 9] }, 1, "smaller than its window"),
        ("a number too large for a Float", layer(0) { $0["weights"] = filters(3, 1, 3, 3, 1e39) }, 0, "finite"),
        ("a string among the weights", layer(4) { $0["weights"] = [["x"]] + matrix(3, 8) }, 4, "finite"),
        ("a bias of the wrong length", layer(0) { $0["bias"] = [0.1] }, 0, "bias has 1 entries for 3"),
        ("an unknown layer type", layer(1) { $0["type"] = "maxpool3d" }, 1, "unknown type \"maxpool3d\""),
        ("a type that is not a string", layer(1) { $0["type"] = 3 }, 1, "type must be a string"),
        ("an output activation on a hidden layer", layer(0) { $0["activation"] = "softmax" }, 0, "unknown activation \"softmax\""),
        ("a last layer whose activation is not the output", layer(5) { $0["activation"] = "sigmoid" }, 5, "differs from output"),
        ("a last layer that is not dense", { o in o["layers"] = (o["layers"] as! [Any]).prefix(4).map { $0 } }, 3, "dense output layer"),
        ("a kernel beyond the cap", layer(0) { $0["kernel"] = 65 }, 0, "kernel must be"),
        ("a zero stride", layer(1) { $0["stride"] = [0, 2] }, 1, "stride must be"),
        ("padding that is neither a size nor \"same\"", layer(0) { $0["padding"] = "valid" }, 0, "padding must be"),
        ("more filters than the cap", layer(0) { $0["weights"] = filters(1025, 1, 3, 3); $0["bias"] = [Any](repeating: 0, count: 1025) }, 0, "at most 1024"),
        ("a dropout rate of 1", { o in var l = o["layers"] as! [Any]; l.insert(["type": "dropout", "rate": 1], at: 1); o["layers"] = l }, 1, "rate must be"),
        ("a leaky slope above 1", layer(0) { $0["activation"] = "leaky_relu"; $0["leaky_slope"] = 2 }, 0, "leaky_slope"),
        ("a layer without a type", layer(1) { $0 = [:] }, 1, "type must be a string"),
        ("a layer that is not an object", { o in var l = o["layers"] as! [Any]; l[1] = 7; o["layers"] = l }, 1, "must be an object"),
    ]

    @Test(arguments: 0..<cases.count)
    func aBrokenLayer_isRefusedNamingIt(_ index: Int) throws {
        let (what, change, layer, phrase) = ModelImportV2Tests.cases[index]
        let error = try #require(try ModelImportV2Tests.error(change), "accepted: \(what)")
        #expect(error.field == "layers[\(layer)]", "\(what): \(error)")
        #expect(error.description.contains(phrase), "\(what): \(error)")
    }

    @Test func brokenTopLevelFields_areRefusedNamingThem() throws {
        let error = ModelImportV2Tests.error
        #expect(try error { $0["input"] = nil } == .missingField("input"))
        #expect(try error { $0["input"] = [3, 8, 8] }?.description.contains("1 channel") == true)
        #expect(try error { $0["input"] = [1, 8] }?.field == "input")
        #expect(try error { $0["input"] = [64] }?.field == "layers[0]")  // a conv on a 64×1×1 "image"
        #expect(try error { $0["layers"] = [] }?.field == "layers")
        #expect(try error { $0["layers"] = [Any](repeating: ["type": "flatten"], count: 65) }?.field == "layers")
        #expect(try error { $0["layers"] = "conv" } == .missingField("layers"))
        #expect(try error { $0["format"] = "mnistd-net-v3" } == .wrongFormat("mnistd-net-v3"))
        #expect(try error { $0["output"] = "softmax2" }?.field == "output")
    }
}
