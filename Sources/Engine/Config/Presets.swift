// Named architectures that people train on MNIST, as the layers between input and output (the dense output
// layer of 10 units is always appended).

/// Layer lists of well-known MNIST networks.
public enum Presets {
    /// LeNet-5 as usually written today (LeCun et al. 1998, with ReLU and max pooling): conv 6 5×5 pad 2,
    /// maxpool 2, conv 16 5×5, maxpool 2, dense 120, dense 84. 61,706 parameters with the output layer.
    public static let lenet5Layers: [LayerSpec] = [
        .conv2d(Conv2DSpec(filters: 6, kernel: Extent2D(square: 5), padding: .explicit(Extent2D(square: 2)))),
        .maxPool(PoolSpec(size: Extent2D(square: 2))),
        .conv2d(Conv2DSpec(filters: 16, kernel: Extent2D(square: 5))),
        .maxPool(PoolSpec(size: Extent2D(square: 2))),
        .flatten,
        .dense(units: 120, activation: nil),
        .dense(units: 84, activation: nil),
    ]

    /// A wider LeNet: conv 16 5×5 pad 2, maxpool 2, conv 32 5×5 pad 2, maxpool 2, dense 128, dropout 0.25.
    /// 215,370 parameters with the output layer; about seven times LeNet-5's work per sample.
    public static let wideLayers: [LayerSpec] = [
        .conv2d(Conv2DSpec(filters: 16, kernel: Extent2D(square: 5), padding: .explicit(Extent2D(square: 2)))),
        .maxPool(PoolSpec(size: Extent2D(square: 2))),
        .conv2d(Conv2DSpec(filters: 32, kernel: Extent2D(square: 5), padding: .explicit(Extent2D(square: 2)))),
        .maxPool(PoolSpec(size: Extent2D(square: 2))),
        .flatten,
        .dense(units: 128, activation: nil),
        .dropout(rate: 0.25),
    ]

    /// The CNN of PyTorch's MNIST example: conv 32 3×3, conv 64 3×3, maxpool 2, dropout 0.25, dense 128,
    /// dropout 0.5. 1,199,882 parameters with the output layer.
    public static let pytorchExampleLayers: [LayerSpec] = [
        .conv2d(Conv2DSpec(filters: 32, kernel: Extent2D(square: 3))),
        .conv2d(Conv2DSpec(filters: 64, kernel: Extent2D(square: 3))),
        .maxPool(PoolSpec(size: Extent2D(square: 2))),
        .dropout(rate: 0.25),
        .flatten,
        .dense(units: 128, activation: nil),
        .dropout(rate: 0.5),
    ]
}
