// Gradient clipping by the global norm, as PyTorch's clip_grad_norm_: the L2 norm of all gradients together,
// and when it exceeds the limit every gradient is scaled by limit / (norm + 1e-6). Weight decay is added by the
// optimizer afterwards, so it is not clipped (as in PyTorch, where decay is part of the optimizer's step).

extension Network {
    /// Scales the gradients down to `maxNorm` when their norm is larger; returns the norm before clipping.
    /// The norm is summed in Double in one fixed order, so the result is the same bits on any thread count;
    /// a gradient within the limit is left untouched. A non-finite norm is left to the divergence check.
    @discardableResult
    func clipGradients(toNorm maxNorm: Double) -> Double {
        var sum = 0.0
        for index in 0..<gradients.count {
            let g = Double(gradients[index])
            sum += g * g
        }
        let norm = sum.squareRoot()
        guard norm.isFinite, norm > maxNorm else { return norm }
        let scale = T(maxNorm / (norm + 1e-6))
        for index in 0..<gradients.count { gradients[index] *= scale }
        return norm
    }
}
