// Everything a forward and backward pass writes for one batch size, carved from a single allocation:
// the gathered inputs and targets, and per layer the pre-activations z, outputs a and gradients dZ.

/// Scratch memory of a network for minibatches of up to `capacity` samples.
final class Workspace<T: EngineScalar> {
    let capacity: Int
    /// Cores the gemms of passes over this workspace may use (0 = the shared pool's limit).
    var threads = 0
    let input: Matrix<T>    // (capacity, inputs)
    let targets: Matrix<T>  // (capacity, outputs)
    let z: [Matrix<T>]      // per layer (capacity, outputs); unwritten by fused relu-family hidden layers (Float)
    let a: [Matrix<T>]      // per layer, a = f(z)
    let g: [Matrix<T>]      // per layer, dL/dz
    private let storage: Storage<T>

    init(spec: NetworkSpec, capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        let widths = spec.widths
        let perLayer = widths.dropFirst().reduce(0, +)
        storage = Storage(count: capacity * (spec.inputs + spec.outputs + 3 * perLayer))
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
    }

    /// The network's outputs (batch, outputs) of the last forward pass over `rows` samples.
    func outputs(rows: Int) -> Matrix<T> { a[a.count - 1].prefix(rows: rows) }
}
