// The first layer's sparse path against its oracles: the dense products computed in Double from the same bytes
// (real MNIST images), for odd widths, every fused activation and both normalizations; its own results bit for
// bit however rows and pixels are cut; and whole trainers, sparse against dense and one thread against all.
import Foundation
import IDX
import Testing
@testable import Engine

struct SparseInputTests {
    /// The first `count` MNIST training images as bytes.
    static func mnistPixels(_ count: Int) -> [UInt8] { Array(MNISTFixture.dataset.train.pixels[0..<(count * 784)]) }

    /// A layer (outputs × inputs) with weights and biases drawn from `seed`, and the storage behind it.
    static func layer(inputs: Int, outputs: Int, seed: UInt64) -> (Dense<Float>, Storage<Float>) {
        let storage = Storage<Float>(count: 2 * (outputs * inputs + outputs))
        let layer = Dense(weight: storage.carve(rows: outputs, columns: inputs), bias: storage.carve(rows: 1, columns: outputs),
                          dW: storage.carve(rows: outputs, columns: inputs), dB: storage.carve(rows: 1, columns: outputs))
        var random = SeededRandom(seed: seed)
        for i in 0..<layer.weight.count { layer.weight[i] = Float(random.nextNormal() * 0.05) }
        for j in 0..<outputs { layer.bias[j] = Float(random.nextUniform(-0.1, 0.1)) }
        return (layer, storage)
    }

    /// The image of minibatch row r: a spread of the 300 images, repeats included.
    static func image(ofRow r: Int) -> Int { (r * 37 + 5) % 300 }

    @Test func sparseImages_holdExactlyTheNonzeroPixels() {
        var random = SeededRandom(seed: 3)
        let pixels = Self.mnistPixels(50) + (0..<(20 * 784)).map { _ in random.nextUnit() < 0.7 ? 0 : UInt8(random.nextIndex(below: 256)) }
        let images = SparseImages(pixels: pixels, inputs: 784)
        var rebuilt = [UInt8](repeating: 0, count: pixels.count)
        for image in 0..<images.count {
            var previous = -1
            for e in images.offsets[image]..<images.offsets[image + 1] {
                let pixel = Int(images.pixel[e])
                #expect(pixel > previous && images.byte[e] != 0)
                previous = pixel
                rebuilt[image * 784 + pixel] = images.byte[e]
            }
        }
        #expect(images.count == 70 && rebuilt == pixels)
    }

    @Test func mnistTakesTheSparsePath_andRandomBytesDoNot() {
        let (layer, storage) = Self.layer(inputs: 784, outputs: 10, seed: 1)
        let mnist = SparseInput(pixels: MNISTFixture.dataset.train.pixels, mean: 0, deviation: 1, layer: layer, capacity: 128)
        #expect(mnist != nil)
        #expect((0.17...0.21).contains(mnist?.density ?? 0), "MNIST's share of lit pixels: \(mnist?.density ?? 0)")
        var random = SeededRandom(seed: 2)
        let noise = (0..<(100 * 784)).map { _ in UInt8(random.nextIndex(below: 256)) }
        #expect(SparseInput(pixels: noise, mean: 0, deviation: 1, layer: layer, capacity: 128) == nil)
        withExtendedLifetime(storage) {}
    }

    /// Fashion-MNIST lights half its pixels (0.50), where the sparse path would be slower: it stays dense.
    @Test(.enabled(if: Dataset.isComplete(directory: "/usr/share/datasets/fashion-mnist"),
                   "Fashion-MNIST not installed (apt-get install -y dataset-fashion-mnist)"))
    func fashionMNIST_staysOnTheDensePath() throws {
        let fashion = try Dataset.load(directory: "/usr/share/datasets/fashion-mnist", name: "fashion-mnist")
        let (layer, storage) = Self.layer(inputs: 784, outputs: 10, seed: 1)
        #expect(SparseInput(pixels: fashion.train.pixels, mean: 0, deviation: 1, layer: layer, capacity: 128) == nil)
        #expect(SparseImages(pixels: Array(fashion.train.pixels[0..<(2000 * 784)]), inputs: 784).density > 0.45)
        withExtendedLifetime(storage) {}
    }

    static let widths = [1, 16, 17, 100, 130, 512]

    /// y = f(x·Wᵀ + b) on 64 rows of MNIST, against the sum in Double of the same inputs, on one thread and two.
    @Test(arguments: widths, Normalization.allCases)
    func affine_equalsTheProductInDouble(outputs: Int, normalization: Normalization) throws {
        let (mean, deviation) = normalization.meanAndDeviation
        let pixels = Self.mnistPixels(300)
        let (layer, storage) = Self.layer(inputs: 784, outputs: outputs, seed: UInt64(outputs))
        let sparse = try #require(SparseInput(pixels: pixels, mean: mean, deviation: deviation, layer: layer, capacity: 64))
        for r in 0..<64 { sparse.imageOfRow[r] = Self.image(ofRow: r) }
        let y = Storage<Float>(count: 64 * outputs)
        for activation in [Gemm.Activation.identity, .relu, .leakyRelu(slope: 0.1)] {
            for threads in [1, 2] {
                sparse.prepareForward(threads: threads)
                let out = y.all.view(offset: 0, rows: 64, columns: outputs)
                Elementwise.fill(out, .nan)
                sparse.affine(rows: 0..<64, activation: activation, into: out, threads: threads)
                // The sparse sum starts from b + c·ΣW (c the value of a zero byte) and adds (x − c)·W per lit
                // pixel: both it and the exact sum's terms bound its rounding.
                let c = Double(TrainingImages.value(0, mean: mean, deviation: deviation))
                var outside: [String] = []
                for r in 0..<64 {
                    let image = pixels[(Self.image(ofRow: r) * 784)...].prefix(784)
                    let x = image.map { Double(TrainingImages.value($0, mean: mean, deviation: deviation)) }
                    for j in 0..<outputs {
                        var sum = Double(layer.bias[j]), magnitude = 2 * abs(sum)
                        for k in 0..<784 {
                            let w = Double(layer.weight[j, k])
                            sum += x[k] * w
                            magnitude += abs(x[k] * w) + abs(c * w) + abs((x[k] - c) * w)
                        }
                        let bound = FloatRounding.gamma(784 + 3) * magnitude
                        let expected = sum > 0 ? sum : activation == .relu ? 0 : activation == .identity ? sum : 0.1 * sum
                        if abs(Double(out[r, j]) - expected) > bound { outside.append("[\(r), \(j)]: \(out[r, j]) against \(expected)") }
                    }
                }
                #expect(outside.isEmpty, "\(outputs) outputs, \(normalization), \(activation), \(threads) threads: \(outside.prefix(3))")
            }
        }
        withExtendedLifetime(storage) {}
    }

    /// dW = dZᵀ·x on 64 rows of MNIST against the sum in Double; the same bits whether the rows were listed in
    /// one slot or several and the pixels run on one thread or in any cut.
    @Test(arguments: widths, Normalization.allCases)
    func weightGradient_equalsTheProductInDouble_forAnyCut(outputs: Int, normalization: Normalization) throws {
        let (mean, deviation) = normalization.meanAndDeviation
        let pixels = Self.mnistPixels(300)
        let (layer, storage) = Self.layer(inputs: 784, outputs: outputs, seed: 7)
        let rows = 64
        let sparse = try #require(SparseInput(pixels: pixels, mean: mean, deviation: deviation, layer: layer, capacity: rows))
        for r in 0..<rows { sparse.imageOfRow[r] = Self.image(ofRow: r) }
        var random = SeededRandom(seed: 9)
        let gradient = Storage<Float>(count: rows * outputs)
        let dZ = gradient.all.view(offset: 0, rows: rows, columns: outputs)
        for i in 0..<dZ.count { dZ[i] = Float(random.nextNormal()) }

        sparse.gatherAll(rows: rows, threads: 1)
        sparse.weightGradient(dZ, into: layer.dW, threads: 1)
        let reference = layer.dW.toArray()
        // As in the forward: c·Σ dZ plus (x − c)·dZ per lit sample, against the exact sum's terms.
        let c = Double(TrainingImages.value(0, mean: mean, deviation: deviation))
        var outside: [String] = []
        for j in 0..<outputs {
            for k in 0..<784 {
                var sum = 0.0, magnitude = 0.0
                for r in 0..<rows {
                    let x = Double(TrainingImages.value(pixels[Self.image(ofRow: r) * 784 + k], mean: mean, deviation: deviation))
                    let d = Double(dZ[r, j])
                    sum += x * d
                    magnitude += abs(x * d) + abs(c * d) + abs((x - c) * d)
                }
                if abs(Double(reference[j * 784 + k]) - sum) > FloatRounding.gamma(rows + 3) * magnitude {
                    outside.append("[\(j), \(k)]: \(reference[j * 784 + k]) against \(sum)")
                }
            }
        }
        #expect(outside.isEmpty, "\(outputs) outputs, \(normalization): \(outside.prefix(3))")

        // Rows listed in 1, 3 or 5 uneven slots; pixels on two threads, or cut into 16-pixel runs by hand.
        for cuts in [[0, 64], [0, 5, 40, 64], [0, 1, 2, 3, 33, 64]] {
            for slot in 0..<(cuts.count - 1) { sparse.gathered(rows: cuts[slot]..<cuts[slot + 1], slot: slot) }
            sparse.stageGradient(dZ, rows: 0..<rows)
            sparse.finishStaging(dZ, slots: cuts.count - 1)
            Elementwise.fill(layer.dW, .nan)
            for start in stride(from: 0, to: 784, by: 48) {
                sparse.weightGradient(pixels: start..<min(784, start + 48), into: layer.dW)
            }
            #expect(layer.dW.toArray().map(\.bitPattern) == reference.map(\.bitPattern), "slots cut at \(cuts)")
        }
        sparse.gatherAll(rows: rows, threads: 2)
        Elementwise.fill(layer.dW, .nan)
        sparse.weightGradient(dZ, into: layer.dW, threads: 2)
        #expect(layer.dW.toArray().map(\.bitPattern) == reference.map(\.bitPattern), "two threads")
        withExtendedLifetime((storage, gradient)) {}
    }

    /// Real MNIST, 40 steps of the default network, both normalizations. Each step starts both trainers from
    /// the same state (the dense one's checkpoint), so that what is compared is one step's arithmetic and not
    /// 40 steps of drift. The losses must agree within what the two summation orders can differ by, and the
    /// dense loss lie that close to the exact one (`StepErrorBound`, the step in Double). The updates are
    /// checked against the exact one: a wrong row, pixel or gradient would be off by a whole term of the sum,
    /// which is the update's size; rounding is 4 orders below the 1‰ allowed.
    @Test(arguments: Normalization.allCases)
    func sparseTraining_tracksDenseTraining(normalization: Normalization) throws {
        let dataset = MNISTFixture.dataset
        let config = MNISTFixture.config {
            $0.training.normalize = normalization == .unit ? .unit : .standardize
            $0.training.optimizer = .momentum
            $0.training.seed = 13
        }
        let (mean, deviation) = normalization.meanAndDeviation
        func trainer(sparse: Bool) throws -> Trainer {
            try Trainer(config: config, trainImages: .bytes(dataset.train.pixels, mean: mean, deviation: deviation),
                        trainLabels: dataset.train.labels, testImages: [], testLabels: [], sparseInput: sparse)
        }
        let sparse = try trainer(sparse: true), dense = try trainer(sparse: false)
        #expect(sparse.usesSparseInput && !dense.usesSparseInput)
        let pixels = dataset.train.pixels, inputs = 784
        let zeroValue = Double(TrainingImages.value(0, mean: mean, deviation: deviation))
        let lr = config.training.learningRate, mu = config.training.momentum
        for _ in 0..<40 {
            let before = dense.checkpoint(), start = dense.position
            try sparse.restore(before)
            let a = try sparse.step(), b = try dense.step()
            let batch = dense.order[start..<(start + b.samples)].map { Int($0) }
            let input = batch.flatMap { image in
                (0..<inputs).map { Double(TrainingImages.value(pixels[image * inputs + $0], mean: mean, deviation: deviation)) }
            }
            let exact = StepErrorBound(widths: dense.spec.widths, parameters: before.parameters, input: input,
                                       labels: batch.map { Int(dataset.train.labels[$0]) },
                                       firstLayer: .sparseAgainstDense(zeroValue: zeroValue))
            #expect(abs(a.loss - b.loss) <= exact.lossBound,
                    "iteration \(b.iteration): \(a.loss) against \(b.loss), bound \(exact.lossBound)")
            #expect(abs(b.loss - exact.loss) <= exact.lossBound, "iteration \(b.iteration): exact loss \(exact.loss)")
            let update = (0..<before.parameters.count).map { lr * (mu * Double(before.optimizerState[$0]) + exact.gradient[$0]) }
            let largest = update.map(abs).max() ?? 0
            for (name, trainer) in [("sparse", sparse), ("dense", dense)] {
                let after = trainer.network.parameters.toArray()
                let worst = (0..<after.count).map { abs(Double(before.parameters[$0]) - update[$0] - Double(after[$0])) }.max() ?? 0
                #expect(worst <= 1e-3 * largest, "iteration \(b.iteration), \(name): \(worst) off the exact update (largest \(largest))")
            }
        }
    }

    /// The sparse trainer on real MNIST, one thread against every core (the default, threads nil), by data (the
    /// default network) and gemm by gemm (784-512-512-10): the same losses and weights, bit for bit.
    @Test(arguments: [[100, 100, 100, 100], [512, 512]])
    func sparseTrainerOnEveryCore_equalsItOnOneThread(hidden: [Int]) throws {
        let dataset = MNISTFixture.dataset
        let config = MNISTFixture.config {
            $0.model.hidden = hidden
            $0.training.seed = 21
        }
        func trainer(threads: Int?) throws -> Trainer {
            try Trainer(config: config, trainImages: .bytes(dataset.train.pixels, mean: 0, deviation: 1),
                        trainLabels: dataset.train.labels, testImages: [], testLabels: [], threads: threads)
        }
        let one = try trainer(threads: 1), all = try trainer(threads: nil)
        for _ in 0..<15 { #expect(try one.step() == all.step()) }
        #expect(one.network.parameters.toArray().map(\.bitPattern) == all.network.parameters.toArray().map(\.bitPattern))
    }
}
