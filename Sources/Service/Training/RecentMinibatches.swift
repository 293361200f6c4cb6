// The last minibatches' loss and accuracy, for `train_loss` / `train_accuracy` and the CLI's
// `final_train_loss` (the mean over the last min(100, N) iterations).
import Foundation

/// A fixed-size window of (loss, accuracy) pairs, oldest overwritten first.
struct RecentMinibatches {
    let capacity: Int
    private var losses: [Double] = []
    private var accuracies: [Double] = []
    private var next = 0

    init(capacity: Int) { self.capacity = capacity }

    mutating func append(loss: Double, accuracy: Double) {
        if losses.count < capacity {
            losses.append(loss)
            accuracies.append(accuracy)
        } else {
            losses[next] = loss
            accuracies[next] = accuracy
            next = (next + 1) % capacity
        }
    }

    var meanLoss: Double? { losses.isEmpty ? nil : losses.reduce(0, +) / Double(losses.count) }
    var meanAccuracy: Double? { accuracies.isEmpty ? nil : accuracies.reduce(0, +) / Double(accuracies.count) }
}
