// Pooling and flatten by hand: ties send max pooling's gradient to the first maximum of the window in
// row-major order (PyTorch's choice), overlapping windows add, average pooling shares equally, and flatten
// orders a sample as PyTorch's flatten(1) on NCHW does.
import Testing
@testable import Engine

struct PoolingTests {
    /// One sample of one channel, h × w, as a (1, h·w) matrix over `storage`.
    static func image(_ values: [Double], _ storage: Storage<Double>) -> Matrix<Double> {
        let m = storage.carve(rows: 1, columns: values.count)
        m.assign(values)
        return m
    }

    @Test func maxPoolTies_routeTheGradientToTheFirstMaximum() {
        let g = PoolGeometry(input: TensorShape(channels: 1, height: 2, width: 4), output: TensorShape(channels: 1, height: 1, width: 2),
                             size: Extent2D(2, 2), stride: Extent2D(2, 2))
        let storage = Storage<Double>(count: 32)
        // Window 1 holds 5 twice (row 0 col 1, row 1 col 0): the first in row-major order takes it.
        // Window 2 is all 3s: its first position takes it.
        let x = PoolingTests.image([1, 5, 3, 3,
                                    5, 2, 3, 3], storage)
        let y = storage.carve(rows: 1, columns: 2), dY = storage.carve(rows: 1, columns: 2), dX = storage.carve(rows: 1, columns: 8)
        let pool = MaxPool<Double>(geometry: g)
        pool.forward(x, into: y)
        #expect(y.toArray() == [5, 3])
        dY.assign([10, 20])
        pool.backward(dY, input: x, into: dX)
        #expect(dX.toArray() == [0, 10, 20, 0,
                                 0, 0, 0, 0])
    }

    @Test func overlappingWindows_addTheirGradients() {
        // 1×1×3, window 2, stride 1: the middle value is the maximum of both windows.
        let g = PoolGeometry(input: TensorShape(channels: 1, height: 1, width: 3), output: TensorShape(channels: 1, height: 1, width: 2),
                             size: Extent2D(1, 2), stride: Extent2D(1, 1))
        let storage = Storage<Double>(count: 16)
        let x = PoolingTests.image([1, 9, 2], storage)
        let dY = storage.carve(rows: 1, columns: 2), dX = storage.carve(rows: 1, columns: 3)
        dY.assign([1.5, 2.5])
        MaxPool<Double>(geometry: g).backward(dY, input: x, into: dX)
        #expect(dX.toArray() == [0, 4, 0])
        AvgPool<Double>(geometry: g).backward(dY, into: dX)
        #expect(dX.toArray() == [0.75, 2, 1.25])
    }

    @Test func channels_poolSeparately() {
        // 2 channels interleaved (height, width, channels): channel 0 = 1,2,3,4; channel 1 = 8,7,6,5.
        let g = PoolGeometry(input: TensorShape(channels: 2, height: 2, width: 2), output: TensorShape(channels: 2, height: 1, width: 1),
                             size: Extent2D(2, 2), stride: Extent2D(2, 2))
        let storage = Storage<Double>(count: 16)
        let x = PoolingTests.image([1, 8, 2, 7, 3, 6, 4, 5], storage)
        let y = storage.carve(rows: 1, columns: 2)
        MaxPool<Double>(geometry: g).forward(x, into: y)
        #expect(y.toArray() == [4, 8])
        AvgPool<Double>(geometry: g).forward(x, into: y)
        #expect(y.toArray() == [2.5, 6.5])
    }

    @Test func flatten_ordersChannelsThenRowsThenColumns() {
        // Engine layout (y, x, c) of a 2×1×3 sample whose NCHW value at (c, 0, x) is 10·c + x.
        let shape = TensorShape(channels: 2, height: 1, width: 3)
        let storage = Storage<Double>(count: 18)
        let x = PoolingTests.image([0, 10, 1, 11, 2, 12], storage)
        let y = storage.carve(rows: 1, columns: 6), back = storage.carve(rows: 1, columns: 6)
        let flatten = Flatten<Double>(shape: shape)
        flatten.forward(x, into: y)
        #expect(y.toArray() == [0, 1, 2, 10, 11, 12])
        flatten.backward(y, into: back)
        #expect(back.toArray() == x.toArray())
    }
}
