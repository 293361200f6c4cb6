// The learning rate as a function of the step: step and exponential decay by epoch (PyTorch's StepLR and
// ExponentialLR stepped once per epoch), cosine annealing over the run (CosineAnnealingLR with T_max = the
// run's iterations, stepped per iteration), and the one-cycle policy (OneCycleLR's defaults: up from
// max_lr/25 over the first 30% of the run, then down to max_lr/25/10⁴, both halves cosine; momentum is not
// cycled). Any of them may start with a linear warmup. A pure function of the step, so a resumed run is on
// the same rate with nothing to save.
import Foundation

public struct LearningRateSchedule: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// × gamma every `epochs` epochs.
        case step(epochs: Int, gamma: Double)
        /// From the base rate down to `minimum` along half a cosine over the run.
        case cosine(minimum: Double)
        /// × gamma every epoch.
        case exponential(gamma: Double)
        /// The one-cycle policy peaking at `maximum` (the base rate is not used).
        case oneCycle(maximum: Double)
    }

    public var kind: Kind
    /// Updates whose rate ramps linearly up to the schedule's: update i (0-based) gets (i + 1)/warmup of it.
    public var warmupIterations: Int

    public init(_ kind: Kind, warmupIterations: Int = 0) {
        self.kind = kind
        self.warmupIterations = warmupIterations
    }

    /// One-cycle's share of the run spent rising, and its divisors (PyTorch's pct_start, div_factor and
    /// final_div_factor defaults).
    static let oneCycleRise = 0.3, oneCycleStartDivisor = 25.0, oneCycleFinalDivisor = 1e4

    /// The rate of update `update` (0-based), which falls in epoch `epoch` (0-based), of a run of `total` updates.
    public func rate(base: Double, update: Int, epoch: Int, total: Int) -> Double {
        let scheduled: Double
        switch kind {
        case let .step(epochs, gamma):
            scheduled = base * pow(gamma, Double(epoch / epochs))
        case let .exponential(gamma):
            scheduled = base * pow(gamma, Double(epoch))
        case .cosine(let minimum):
            let t = total > 0 ? Double(min(update, total)) / Double(total) : 0
            scheduled = minimum + (base - minimum) * (1 + cos(Double.pi * t)) / 2
        case .oneCycle(let maximum):
            scheduled = Self.oneCycle(maximum: maximum, update: update, total: total)
        }
        guard update < warmupIterations else { return scheduled }
        return scheduled * Double(update + 1) / Double(warmupIterations)
    }

    /// OneCycleLR's two phases: phase one ends at update 0.3·total − 1, phase two at total − 1.
    static func oneCycle(maximum: Double, update: Int, total: Int) -> Double {
        let initial = maximum / oneCycleStartDivisor, final = initial / oneCycleFinalDivisor
        let riseEnd = oneCycleRise * Double(total) - 1, end = Double(total - 1)
        func anneal(_ from: Double, _ to: Double, _ fraction: Double) -> Double {
            to + (from - to) / 2 * (1 + cos(Double.pi * min(1, max(0, fraction))))
        }
        let i = Double(update)
        if i <= riseEnd { return anneal(initial, maximum, riseEnd > 0 ? i / riseEnd : 1) }
        return anneal(maximum, final, end > riseEnd ? (i - riseEnd) / (end - riseEnd) : 1)
    }
}
