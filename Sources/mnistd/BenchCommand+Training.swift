// The training loop `mnistd bench` times: dense relu layers + softmax cross-entropy + plain SGD on synthetic
// MNIST-shaped data, laid out as the engine's Dense (W is outputs×inputs). Stands in until the engine's Trainer.
import Engine
import Foundation

enum TrainingBenchmark {
    static let engine = "bench-loop"

    /// Trains `jobs` independent networks at once, each on its own thread, for `seconds`; samples/s of each.
    static func run(widths: [Int], batch: Int, jobs: Int, seconds: Double) -> [Double] {
        final class Results: @unchecked Sendable {
            var rates: [Double]
            let lock = NSLock()
            init(_ count: Int) { rates = [Double](repeating: 0, count: count) }
        }
        let results = Results(jobs)
        let group = DispatchGroup()
        for job in 0..<jobs {
            let thread = Thread {
                let network = BenchNetwork(widths: widths, batch: batch, seed: UInt64(job + 1))
                _ = BenchClock.repeatFor(seconds: min(0.3, seconds / 4)) { network.step() }
                let (steps, elapsed) = BenchClock.repeatFor(seconds: seconds) { network.step() }
                results.lock.lock()
                results.rates[job] = Double(steps * batch) / elapsed
                results.lock.unlock()
                group.leave()
            }
            thread.stackSize = 8 << 20
            group.enter()
            thread.start()
        }
        group.wait()
        return results.rates
    }
}

/// A multilayer perceptron with preallocated activations; `step()` is one SGD minibatch step.
final class BenchNetwork {
    let widths: [Int], batch: Int
    var weights: [[Float]], biases: [[Float]], dW: [[Float]], dB: [[Float]]
    var activations: [[Float]]  // a[0] = input, a[l+1] = output of layer l
    var gradients: [[Float]]    // g[l] = dL/dz of layer l
    var labels: [Int]
    let learningRate: Float = 0.01

    init(widths: [Int], batch: Int, seed: UInt64) {
        self.widths = widths
        self.batch = batch
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        let layers = widths.count - 1
        weights = (0..<layers).map { l in
            let scale = (2 / Float(widths[l])).squareRoot()
            return (0..<(widths[l] * widths[l + 1])).map { _ in (next() - 0.5) * 2 * scale }
        }
        biases = (0..<layers).map { [Float](repeating: 0, count: widths[$0 + 1]) }
        dW = weights.map { [Float](repeating: 0, count: $0.count) }
        dB = biases.map { [Float](repeating: 0, count: $0.count) }
        activations = widths.map { [Float](repeating: 0, count: batch * $0) }
        activations[0] = (0..<(batch * widths[0])).map { _ in next() }
        gradients = (1..<widths.count).map { [Float](repeating: 0, count: batch * widths[$0]) }
        labels = (0..<batch).map { _ in Int(next() * Float(widths.last!)) % widths.last! }
    }

    func step() {
        let layers = widths.count - 1
        // Forward: z = x · Wᵀ + b, relu fused into the gemm for hidden layers.
        for l in 0..<layers {
            let inputs = widths[l], outputs = widths[l + 1]
            let epilogueActivation: Gemm.Activation = l == layers - 1 ? .identity : .relu
            biases[l].withUnsafeBufferPointer { bias in
                let x = activations[l]
                activations[l + 1].withUnsafeMutableBufferPointer { z in
                    Gemm.multiply(transposeA: false, transposeB: true, m: batch, n: outputs, k: inputs,
                                  alpha: 1, a: x, lda: inputs, b: weights[l], ldb: inputs,
                                  beta: 0, c: z.baseAddress!, ldc: outputs,
                                  epilogue: Gemm.Epilogue(bias: bias.baseAddress!, activation: epilogueActivation))
                }
            }
        }
        softmaxCrossEntropyGradient()
        // Backward: dW = dZᵀ · x, dB = Σ dZ, dX = (dZ · W) ⊙ relu'(a).
        for l in stride(from: layers - 1, through: 0, by: -1) {
            let inputs = widths[l], outputs = widths[l + 1]
            let dZ = gradients[l]
            dW[l].withUnsafeMutableBufferPointer { dW in
                Gemm.multiply(transposeA: true, transposeB: false, m: outputs, n: inputs, k: batch,
                              alpha: 1, a: dZ, lda: outputs, b: activations[l], ldb: inputs,
                              beta: 0, c: dW.baseAddress!, ldc: inputs)
            }
            dB[l].withUnsafeMutableBufferPointer { dB in
                for j in 0..<outputs { dB[j] = 0 }
                for i in 0..<batch { for j in 0..<outputs { dB[j] += dZ[i * outputs + j] } }
            }
            if l > 0 {
                activations[l].withUnsafeBufferPointer { a in
                    gradients[l - 1].withUnsafeMutableBufferPointer { dX in
                        Gemm.multiply(transposeA: false, transposeB: false, m: batch, n: inputs, k: outputs,
                                      alpha: 1, a: dZ, lda: outputs, b: weights[l], ldb: inputs,
                                      beta: 0, c: dX.baseAddress!, ldc: inputs,
                                      epilogue: .activationGradient(.relu, of: a.baseAddress!, ld: inputs))
                    }
                }
            }
        }
        for l in 0..<layers {
            let rate = learningRate
            dW[l].withUnsafeBufferPointer { g in
                weights[l].withUnsafeMutableBufferPointer { w in for i in 0..<w.count { w[i] -= rate * g[i] } }
            }
            dB[l].withUnsafeBufferPointer { g in
                biases[l].withUnsafeMutableBufferPointer { b in for i in 0..<b.count { b[i] -= rate * g[i] } }
            }
        }
    }

    /// gradients.last = (softmax(z) − onehot(label)) / batch.
    private func softmaxCrossEntropyGradient() {
        let classes = widths.last!, layers = widths.count - 1
        let z = activations[layers]
        gradients[layers - 1].withUnsafeMutableBufferPointer { g in
            for i in 0..<batch {
                var peak = -Float.infinity
                for j in 0..<classes { peak = max(peak, z[i * classes + j]) }
                var total: Float = 0
                for j in 0..<classes {
                    let e = Foundation.exp(z[i * classes + j] - peak)
                    g[i * classes + j] = e
                    total += e
                }
                for j in 0..<classes {
                    g[i * classes + j] = (g[i * classes + j] / total - (j == labels[i] ? 1 : 0)) / Float(batch)
                }
            }
        }
    }
}
