// Everything a forward and backward pass writes for one batch size, carved from a single allocation:
// the gathered inputs and targets, per layer the pre-activations z, outputs a and gradients dZ, and the
// patch scratch that conv layers share.

/// Scratch memory of a network for minibatches of up to `capacity` samples.
final class Workspace<T: EngineScalar> {
    let capacity: Int
    /// Cores the gemms of passes over this workspace may use (0 = the shared pool's limit).
    var threads = 0
    /// Whether forward passes train (dropout applies its masks) or evaluate (dropout is the identity).
    var isTraining = false
    let input: Matrix<T>    // (capacity, inputs)
    let targets: Matrix<T>  // (capacity, outputs)
    let z: [Matrix<T>]      // per layer (capacity, outputs); unwritten by fused relu-family layers (Float);
                            // a dropout layer's mask
    let a: [Matrix<T>]      // per layer, a = f(z)
    let g: [Matrix<T>]      // per layer, dL/dz
    /// The patches of the conv layer being run (capacity · positions, patch), sized for the largest conv layer.
    let columns: Matrix<T>
    private let storage: Storage<T>

    init(spec: NetworkSpec, capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        let widths = spec.widths
        let perLayer = widths.dropFirst().reduce(0, +)
        let patchScalars = Workspace.patchScalars(spec)
        storage = Storage(count: capacity * (spec.inputs + spec.outputs + 3 * perLayer + patchScalars))
        input = storage.carve(rows: capacity, columns: spec.inputs)
        targets = storage.carve(rows: capacity, columns: spec.outputs)
        var z: [Matrix<T>] = [], a: [Matrix<T>] = [], g: [Matrix<T>] = []
        for width in widths.dropFirst() {
            z.append(storage.carve(rows: capacity, columns: width))
            a.append(storage.carve(rows: capacity, columns: width))
            g.append(storage.carve(rows: capacity, columns: width))
        }
        self.z = z
        self.a = a
        self.g = g
        columns = storage.carve(rows: capacity, columns: patchScalars)
    }

    /// Scalars of one sample's patch matrix in the largest conv layer of `spec` (0 without conv layers).
    static func patchScalars(_ spec: NetworkSpec) -> Int {
        spec.plan.reduce(0) { largest, layer in
            if case .conv2d(let g, _) = layer { return max(largest, g.output.positions * g.patch) }
            return largest
        }
    }

    /// Bytes of a workspace for `spec` at `capacity` samples.
    static func bytes(_ spec: NetworkSpec, capacity: Int) -> Int {
        capacity * (spec.inputs + spec.outputs + 3 * spec.widths.dropFirst().reduce(0, +) + patchScalars(spec))
            * MemoryLayout<T>.stride
    }

    /// The network's outputs (batch, outputs) of the last forward pass over `rows` samples.
    func outputs(rows: Int) -> Matrix<T> { a[a.count - 1].prefix(rows: rows) }
}
