// Inverted dropout: in training each unit is kept with probability 1 − rate and scaled by 1 / (1 − rate), so
// evaluation is the identity. The mask is drawn before the forward pass into the layer's z buffer and read by
// both passes, so a gradient check sees one fixed mask.

/// y = x ⊙ mask in training, y = x otherwise.
struct Dropout<T: EngineScalar> {
    let rate: Double

    /// Fills `mask` with 0 (dropped) or 1 / (1 − rate) (kept), one draw per unit in row-major order.
    func drawMask(_ mask: Matrix<T>, random: inout SeededRandom) {
        let keep = T(1 / (1 - rate))
        for k in 0..<mask.count { mask[k] = random.nextUnit() < rate ? 0 : keep }
    }

    func forward(_ x: Matrix<T>, mask: Matrix<T>, into y: Matrix<T>, training: Bool) {
        if training {
            for k in 0..<y.count { y[k] = x[k] * mask[k] }
        } else {
            for k in 0..<y.count { y[k] = x[k] }
        }
    }

    /// dX = dY ⊙ mask (the mask of the forward pass).
    func backward(_ dY: Matrix<T>, mask: Matrix<T>, into dX: Matrix<T>) {
        for k in 0..<dX.count { dX[k] = dY[k] * mask[k] }
    }
}
