// Shapes through a layer list: PyTorch's output sizes, flattens inserted where a dense layer needs them, and a
// ConfigError naming the layer (`model.layers[i]`) and both shapes when a layer does not fit.
import Testing
@testable import Engine

struct LayerPlanTests {
    static let image = TensorShape(channels: 1, height: 28, width: 28)

    func resolve(_ layers: [LayerSpec]) throws -> NetworkSpec {
        try NetworkSpec(input: LayerPlanTests.image, layers: layers, outputs: 10, activation: .relu, output: .softmax)
    }

    @Test func aKernelLargerThanItsInput_isRejectedNamingTheLayerAndShapes() {
        #expect(throws: ConfigError(field: "model.layers[2]",
                                    message: "its input 6×4×4 (padded 4×4) is smaller than its kernel 5×5")) {
            try resolve([.conv2d(Conv2DSpec(filters: 6, kernel: Extent2D(square: 5), stride: Extent2D(square: 6))),
                         .dropout(rate: 0.1),
                         .conv2d(Conv2DSpec(filters: 2, kernel: Extent2D(square: 5)))])
        }
    }

    @Test func aPoolThatLeavesNothing_isRejected() {
        #expect(throws: ConfigError(field: "model.layers[1]",
                                    message: "its input 3×2×2 is smaller than its window 3×3, so it leaves nothing")) {
            try resolve([.conv2d(Conv2DSpec(filters: 3, kernel: Extent2D(square: 4), stride: Extent2D(square: 13))),
                         .maxPool(PoolSpec(size: Extent2D(square: 3)))])
        }
    }

    @Test func samePaddingWithAStride_andBadRates_areRejected() {
        #expect(throws: ConfigError(field: "model.layers[0]", message: "padding \"same\" needs stride 1")) {
            try resolve([.conv2d(Conv2DSpec(filters: 3, kernel: Extent2D(square: 3), stride: Extent2D(square: 2), padding: .same))])
        }
        #expect(throws: ConfigError(field: "model.layers[0]", message: "dropout rate must be in [0, 1), got 1.0")) {
            try resolve([.dropout(rate: 1)])
        }
    }

    @Test func aDenseOnlyLayerList_isTheMLPOfHidden() throws {
        let layers = try resolve([.dense(units: 100, activation: nil), .dense(units: 50, activation: nil)])
        let mlp = NetworkSpec(inputs: 784, hidden: [100, 50], outputs: 10, activation: .relu, output: .softmax)
        #expect(layers.widths == mlp.widths && layers.parameterCount == mlp.parameterCount)
        #expect(layers.isDenseOnly && mlp.isDenseOnly)
        #expect(layers.plan.map(\.typeName) == ["dense", "dense", "dense"])
    }

    @Test func flatten_isInsertedOnceAfterTheLastSpatialLayer() throws {
        let spec = try resolve([.conv2d(Conv2DSpec(filters: 2, kernel: Extent2D(square: 3))), .dropout(rate: 0.5),
                                .dense(units: 8, activation: .tanh), .dense(units: 4, activation: nil)])
        #expect(spec.plan.map(\.typeName) == ["conv2d", "dropout", "flatten", "dense", "dense", "dense"])
        #expect(spec.plan[3].activation == .tanh && spec.plan[4].activation == .relu)
        #expect(!spec.isDenseOnly)
        #expect(spec.widths == [784, 1352, 1352, 1352, 8, 4, 10])
    }
}
