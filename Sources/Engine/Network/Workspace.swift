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
                            // a dropout layer's mask; a max-pool layer's first-maximum offsets
    let a: [Matrix<T>]      // per layer, a = f(z)
    let g: [Matrix<T>]      // per layer, dL/dz
    /// The patches of a conv layer that has no buffer of its own (capacity · positions, patch), sized for the
    /// largest such layer; also the transient scratch of single-channel conv layers (Conv2D.scratchCount).
    let columns: Matrix<T>
    /// Per layer, the patch buffer a conv layer keeps from its forward pass to its backward pass (training
    /// workspaces, for the conv layers below the top one that gather patches); nil: the layer uses `columns`.
    let ownPatches: [Matrix<T>?]
    /// The per-chunk partial sums of conv weight gradients (Float), sized for the largest layer; nil: none.
    let partials: Matrix<T>?
    private let storage: Storage<T>

    /// `keepsPatches`: a training workspace, where every conv layer's patches survive until its backward
    /// pass (the top conv layer's in `columns`, the others' in their own buffers), so none is gathered twice.
    init(spec: NetworkSpec, capacity: Int, keepsPatches: Bool = false) {
        precondition(capacity > 0)
        self.capacity = capacity
        let widths = spec.widths
        let layout = Workspace.layout(spec, capacity: capacity, keepsPatches: keepsPatches)
        let storage = Storage<T>(count: layout.total)
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
        columns = storage.carve(rows: 1, columns: layout.shared)
        var own: [Matrix<T>?] = []
        for size in layout.own {
            if let size { own.append(storage.carve(rows: 1, columns: size)) } else { own.append(nil) }
        }
        ownPatches = own
        partials = layout.partials > 0 ? storage.carve(rows: 1, columns: layout.partials) : nil
    }

    /// The patch buffer conv layer `l` uses.
    func patches(forLayer l: Int) -> Matrix<T> { ownPatches[l] ?? columns }

    /// Scalars of the shared patch scratch, of each layer's own patch buffer (nil: none), of the partials, and
    /// of everything.
    private static func layout(_ spec: NetworkSpec, capacity: Int, keepsPatches: Bool)
        -> (shared: Int, own: [Int?], partials: Int, total: Int) {
        let top = spec.topConvLayer
        var shared = 0, partials = 0
        var own = [Int?](repeating: nil, count: spec.plan.count)
        for (l, plan) in spec.plan.enumerated() {
            guard case .conv2d(let g, _) = plan else { continue }
            let size = Conv2D<T>.scratchCount(g, rows: capacity, inputGradient: l > 0)
            if T.self == Float.self && SingleChannelConv.applies(g) {
                // Its scratch lives only within one pass; it keeps nothing from forward to backward.
                shared = max(shared, size)
                continue
            }
            if T.self == Float.self { partials = max(partials, ConvPasses.partialCount(g, rows: capacity)) }
            if keepsPatches && l != top { own[l] = size } else { shared = max(shared, size) }
        }
        let layers = 3 * spec.widths.dropFirst().reduce(0, +)
        let total = capacity * (spec.inputs + spec.outputs + layers) + shared + own.reduce(0) { $0 + ($1 ?? 0) }
            + partials
        return (shared, own, partials, total)
    }

    /// Bytes of a workspace for `spec` at `capacity` samples.
    static func bytes(_ spec: NetworkSpec, capacity: Int, keepsPatches: Bool = false) -> Int {
        layout(spec, capacity: capacity, keepsPatches: keepsPatches).total * MemoryLayout<T>.stride
    }

    /// The most samples, up to `limit`, whose evaluation workspace fits in `budget` bytes (at least 1): a CNN's
    /// patches make a sample cost far more than an MLP's.
    static func evaluationCapacity(_ spec: NetworkSpec, limit: Int, budget: Int = 64 << 20) -> Int {
        // Bytes grow with the capacity, but not in proportion (scratch tables, per-chunk partials): estimate from
        // one sample, then step to the largest capacity that fits.
        var capacity = max(1, min(limit, budget / max(1, bytes(spec, capacity: 1))))
        while capacity < limit && bytes(spec, capacity: capacity + 1) <= budget { capacity += 1 }
        while capacity > 1 && bytes(spec, capacity: capacity) > budget { capacity -= 1 }
        return capacity
    }

    /// The network's outputs (batch, outputs) of the last forward pass over `rows` samples.
    func outputs(rows: Int) -> Matrix<T> { a[a.count - 1].prefix(rows: rows) }
}
