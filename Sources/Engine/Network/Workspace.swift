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
    /// The patches of a conv layer that has no buffer of its own (capacity · positions, patch), sized for the
    /// largest such layer.
    let columns: Matrix<T>
    /// Per layer, the patch buffer a conv layer keeps from its forward pass to its backward pass (training
    /// workspaces, for the conv layers below the top one); nil: the layer uses `columns`.
    let ownPatches: [Matrix<T>?]
    private let storage: Storage<T>

    /// `keepsPatches`: a training workspace, where every conv layer's patches survive until its backward
    /// pass (the top conv layer's in `columns`, the others' in their own buffers), so none is gathered twice.
    init(spec: NetworkSpec, capacity: Int, keepsPatches: Bool = false) {
        precondition(capacity > 0)
        self.capacity = capacity
        let widths = spec.widths
        let layout = Workspace.patchLayout(spec, keepsPatches: keepsPatches)
        let storage = Storage<T>(count: capacity * Workspace.scalarsPerSample(spec, keepsPatches: keepsPatches))
        self.storage = storage
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
        columns = storage.carve(rows: capacity, columns: layout.shared)
        var own: [Matrix<T>?] = []
        for size in layout.own {
            if let size { own.append(storage.carve(rows: capacity, columns: size)) } else { own.append(nil) }
        }
        ownPatches = own
    }

    /// The patch buffer conv layer `l` uses.
    func patches(forLayer l: Int) -> Matrix<T> { ownPatches[l] ?? columns }

    /// Scalars per sample of the shared patch scratch, and of each layer's own patch buffer (nil: none).
    private static func patchLayout(_ spec: NetworkSpec, keepsPatches: Bool) -> (shared: Int, own: [Int?]) {
        let sizes: [Int?] = spec.plan.map { if case .conv2d(let g, _) = $0 { g.output.positions * g.patch } else { nil } }
        let top = spec.topConvLayer
        var shared = 0
        var own = [Int?](repeating: nil, count: sizes.count)
        for (l, size) in sizes.enumerated() {
            guard let size else { continue }
            if keepsPatches && l != top { own[l] = size } else { shared = max(shared, size) }
        }
        return (shared, own)
    }

    private static func scalarsPerSample(_ spec: NetworkSpec, keepsPatches: Bool) -> Int {
        let layout = patchLayout(spec, keepsPatches: keepsPatches)
        return spec.inputs + spec.outputs + 3 * spec.widths.dropFirst().reduce(0, +) + layout.shared
            + layout.own.reduce(0) { $0 + ($1 ?? 0) }
    }

    /// Bytes of a workspace for `spec` at `capacity` samples.
    static func bytes(_ spec: NetworkSpec, capacity: Int, keepsPatches: Bool = false) -> Int {
        capacity * scalarsPerSample(spec, keepsPatches: keepsPatches) * MemoryLayout<T>.stride
    }

    /// The most samples, up to `limit`, whose evaluation workspace fits in `budget` bytes (at least 1): a CNN's
    /// patches make a sample cost far more than an MLP's.
    static func evaluationCapacity(_ spec: NetworkSpec, limit: Int, budget: Int = 64 << 20) -> Int {
        max(1, min(limit, budget / max(1, bytes(spec, capacity: 1))))
    }

    /// The network's outputs (batch, outputs) of the last forward pass over `rows` samples.
    func outputs(rows: Int) -> Matrix<T> { a[a.count - 1].prefix(rows: rows) }
}
