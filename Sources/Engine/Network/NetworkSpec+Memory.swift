// What a trainer of a network holds in memory, so a service can refuse a job that would not fit before it
// starts instead of failing an allocation halfway.

extension NetworkSpec {
    /// Float32 bytes of a trainer: every parameter as value, gradient and `moments` optimizer buffers, the
    /// training workspace for `batch` samples (activations, gradients and kept conv patches) and the evaluation
    /// workspace (up to 1000 samples within its budget).
    public func trainerBytes(batch: Int, moments: Int) -> Int {
        let float = MemoryLayout<Float>.stride
        let evaluation = Workspace<Float>.bytes(self, capacity: Workspace<Float>.evaluationCapacity(self, limit: 1000))
        return float * parameterCount * (2 + moments) + Workspace<Float>.bytes(self, capacity: batch, keepsPatches: true)
            + evaluation
    }
}

extension NetworkSpec {
    /// Multiply-adds of one sample's forward pass: a dense layer's inputs × outputs, a conv layer's output
    /// positions × patch × filters, a pooling layer's outputs × window (what bounds the work of a gradient check).
    public var forwardMultiplyAdds: Int {
        plan.reduce(0) { total, layer in
            switch layer {
            case .dense(let inputs, let outputs, _): return total + inputs * outputs
            case .conv2d(let g, _): return total + g.output.count * g.patch
            case .maxPool(let g), .avgPool(let g): return total + g.output.count * g.size.height * g.size.width
            case .dropout, .flatten: return total + layer.outputShape.count
            }
        }
    }

    /// Weight and bias tensors (two per dense or conv layer).
    public var parameterTensorCount: Int { 2 * plan.filter { $0.weightShape != nil }.count }
}
