// A job's history in memory, column-wise and compact: 12 bytes per training iteration (iteration, loss,
// accuracy) plus run-length epochs, so 470,000 iterations cost ~5.6 MB. Replaying records is idempotent
// after a resume: a record for iteration i first drops everything at or after i.
import Foundation

/// Training points (one per iteration) and evaluation points, each sorted by iteration.
public struct History: Sendable {
    private var iterations: [UInt32] = []
    private var losses: [Float] = []
    private var accuracies: [Float] = []
    /// (index of the first point of the run, epoch), ascending.
    private var epochRuns: [(start: Int, epoch: UInt32)] = []
    private var evalIterations: [UInt32] = []
    private var evalEpochs: [UInt32] = []
    private var evalLosses: [Float] = []
    private var evalAccuracies: [Float] = []
    private var validationIterations: [UInt32] = []
    private var validationLosses: [Float] = []
    private var validationAccuracies: [Float] = []

    public init() {}

    /// Number of training points.
    public var count: Int { iterations.count }
    /// Number of evaluation points.
    public var evaluationCount: Int { evalIterations.count }
    /// The last training iteration recorded, 0 when none.
    public var lastIteration: Int { iterations.last.map(Int.init) ?? 0 }

    /// Bytes held by the columns (allocated capacity), for the memory budget.
    public var storageBytes: Int {
        iterations.capacity * 4 + losses.capacity * 4 + accuracies.capacity * 4 + epochRuns.capacity * 16
            + evalIterations.capacity * 4 + evalEpochs.capacity * 4 + evalLosses.capacity * 4 + evalAccuracies.capacity * 4
            + validationIterations.capacity * 12
    }

    /// Applies one record. A record for iteration i replaces anything recorded at or after i (of its kind;
    /// a training record also drops evaluations from i on), so a resumed job can simply re-append.
    public mutating func apply(_ record: HistoryRecord) {
        switch record {
        case let .train(iteration, epoch, loss, accuracy):
            let i = UInt32(clamping: iteration)
            truncateTraining(from: i)
            truncateEvaluations(from: i)
            truncateValidations(from: i)
            if epochRuns.last?.epoch != UInt32(clamping: epoch) { epochRuns.append((iterations.count, UInt32(clamping: epoch))) }
            iterations.append(i)
            losses.append(loss)
            accuracies.append(accuracy)
        case let .eval(iteration, epoch, loss, accuracy):
            truncateEvaluations(from: UInt32(clamping: iteration))
            evalIterations.append(UInt32(clamping: iteration))
            evalEpochs.append(UInt32(clamping: epoch))
            evalLosses.append(loss)
            evalAccuracies.append(accuracy)
        case let .validation(iteration, _, loss, accuracy):
            truncateValidations(from: UInt32(clamping: iteration))
            validationIterations.append(UInt32(clamping: iteration))
            validationLosses.append(loss)
            validationAccuracies.append(accuracy)
        }
    }

    /// Points with iteration > `since`, ascending, at most `limit`; evaluations merged into the training
    /// point of the same iteration.
    public func points(since: Int = -1, limit: Int = .max) -> [HistoryPoint] {
        var t = History.firstIndex(in: iterations, after: since)
        var e = History.firstIndex(in: evalIterations, after: since)
        var v = History.firstIndex(in: validationIterations, after: since)
        /// The validation values of `iteration`, if recorded (validations come at evaluation points).
        func validation(_ iteration: UInt32, into point: inout HistoryPoint) {
            while v < validationIterations.count && validationIterations[v] < iteration { v += 1 }
            guard v < validationIterations.count, validationIterations[v] == iteration else { return }
            point.validationLoss = validationLosses[v]
            point.validationAccuracy = validationAccuracies[v]
            v += 1
        }
        var run = max(0, (epochRuns.lastIndex { $0.start <= t }) ?? 0)
        var out: [HistoryPoint] = []
        out.reserveCapacity(min(limit, iterations.count - t + evalIterations.count - e))
        while out.count < limit && (t < iterations.count || e < evalIterations.count) {
            let nextTrain = t < iterations.count ? iterations[t] : .max
            let nextEval = e < evalIterations.count ? evalIterations[e] : .max
            if nextTrain <= nextEval {
                while run + 1 < epochRuns.count && epochRuns[run + 1].start <= t { run += 1 }
                var point = HistoryPoint(iteration: Int(nextTrain), epoch: Int(epochRuns[run].epoch),
                                         trainLoss: losses[t], trainAccuracy: accuracies[t])
                if nextEval == nextTrain {
                    point.testLoss = evalLosses[e]
                    point.testAccuracy = evalAccuracies[e]
                    e += 1
                }
                validation(nextTrain, into: &point)
                out.append(point)
                t += 1
            } else {
                var point = HistoryPoint(iteration: Int(nextEval), epoch: Int(evalEpochs[e]), trainLoss: nil,
                                         trainAccuracy: nil, testLoss: evalLosses[e], testAccuracy: evalAccuracies[e])
                validation(nextEval, into: &point)
                out.append(point)
                e += 1
            }
        }
        return out
    }

    /// Mean training loss over the last `n` points (the `train` command's `final_train_loss`).
    public func meanTrainLoss(last n: Int) -> Double? {
        guard !losses.isEmpty, n > 0 else { return nil }
        let tail = losses.suffix(n)
        return tail.reduce(0.0) { $0 + Double($1) } / Double(tail.count)
    }

    /// Index of the first element > `value` in an ascending array (binary search).
    private static func firstIndex(in sorted: [UInt32], after value: Int) -> Int {
        if value < 0 { return 0 }
        let bound = UInt32(clamping: value)
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] <= bound { low = mid + 1 } else { high = mid }
        }
        return value > Int(UInt32.max) ? sorted.count : low
    }

    private mutating func truncateTraining(from iteration: UInt32) {
        guard let last = iterations.last, last >= iteration else { return }
        let keep = History.firstIndex(in: iterations, after: Int(iteration) - 1)
        iterations.removeSubrange(keep...)
        losses.removeSubrange(keep...)
        accuracies.removeSubrange(keep...)
        while let run = epochRuns.last, run.start >= keep { epochRuns.removeLast() }
    }

    private mutating func truncateValidations(from iteration: UInt32) {
        guard let last = validationIterations.last, last >= iteration else { return }
        let keep = History.firstIndex(in: validationIterations, after: Int(iteration) - 1)
        validationIterations.removeSubrange(keep...)
        validationLosses.removeSubrange(keep...)
        validationAccuracies.removeSubrange(keep...)
    }

    private mutating func truncateEvaluations(from iteration: UInt32) {
        guard let last = evalIterations.last, last >= iteration else { return }
        let keep = History.firstIndex(in: evalIterations, after: Int(iteration) - 1)
        evalIterations.removeSubrange(keep...)
        evalEpochs.removeSubrange(keep...)
        evalLosses.removeSubrange(keep...)
        evalAccuracies.removeSubrange(keep...)
    }
}
