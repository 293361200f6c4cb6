// `mnistd train`'s terminal progress bar: iteration, epoch, loss and an estimate of the time left.
import Foundation

/// A one-line progress bar on stderr, redrawn at most ten times a second.
final class ProgressBar {
    private let total: Int
    private let start = Date()
    private var lastDraw = Date.distantPast

    init(total: Int) { self.total = max(total, 1) }

    func update(iteration: Int, epoch: Int, loss: Double) {
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || iteration == total else { return }
        lastDraw = now
        let fraction = Double(iteration) / Double(total)
        let width = 30, filled = Int(fraction * Double(width))
        let elapsed = now.timeIntervalSince(start)
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let text = "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
            + String(format: "%3.0f%% it %d/%d epoch %d loss %.4f eta %.0fs ", fraction * 100, iteration, total, epoch + 1, loss, eta)
        FileHandle.standardError.write(Data(text.utf8))
    }

    func finish() { FileHandle.standardError.write(Data("\n".utf8)) }
}
