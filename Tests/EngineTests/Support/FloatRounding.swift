// What Float arithmetic can do to an exact result, as bounds the tests compare against instead of constants
// tuned on one CPU.

/// Float's unit roundoff u = 2⁻²⁴ and γₙ = n·u / (1 − n·u). A sum or dot product of n terms computed in Float,
/// in any order, blocked or not, fused multiply-adds or not, lies within γₙ · Σ|terms| of the exact value
/// (Higham, *Accuracy and Stability of Numerical Algorithms*, §3.1). Two such computations of the same value
/// in different orders (AVX-512 against AVX2 kernels, the sparse path against the dense) can differ by the
/// sum of their bounds.
enum FloatRounding {
    static let unitRoundoff = 0x1p-24

    static func gamma(_ n: Int) -> Double {
        let nu = Double(n) * unitRoundoff
        precondition(nu < 1, "γ\(n) is unbounded in Float")
        return nu / (1 - nu)
    }
}
