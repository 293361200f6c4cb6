// What `mnistd train` does with the training loop's news: the progress bar on stderr, and the training
// monitor's findings kept for the summary line (as a service job lists them in its `warnings`).
import Engine
import Foundation
import Service

/// The terminal's TrainingReporter.
final class ConsoleReporter: TrainingReporter {
    let bar: ProgressBar
    private(set) var found: [TrainingWarning] = []

    init(total: Int) { bar = ProgressBar(total: total) }

    func diagnosed(_ layers: [LayerStatistics], found: [TrainingWarning]) throws {
        self.found += found
    }

    func progressed(_ progress: TrainingProgress) throws {
        guard let step = progress.lastStep else { return }
        bar.update(iteration: step.iteration, epoch: step.epoch, loss: step.loss)
    }

    func finished(_ ending: TrainingEnding, metrics: JobMetrics) throws { bar.finish() }
}
