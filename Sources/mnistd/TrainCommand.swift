// `mnistd train`: one job in the foreground — progress bar on stderr, model to --out, one JSON line on stdout.
import Engine
import Foundation
import IDX

enum TrainCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        let flags = try Flags(arguments, allowed: ["config", "data-dir", "init-model", "out", "threads"])
        guard let configPath = flags.string("config") else { throw FlagError(description: "--config job.json is required") }
        let threads = try flags.int("threads", default: 0, range: 0...1024)
        let config = try JobConfig.parse(try read(configPath, what: "config"))
        var warnings = config.warnings()
        if config.model.fromModel != nil {
            warnings.append(ConfigWarning(code: "from_model_ignored",
                                          message: "model.from_model names a stored model of the service; mnistd train uses --init-model"))
        }
        let initialModel = try flags.string("init-model").map { try Model(jsonData: read($0, what: "model")) }

        let dataDirectory = flags.string("data-dir", env: "MNISTD_DATA_DIR") ?? "data"
        let dataset = try DatasetCatalog(dataDirectory: dataDirectory).load(name: config.dataset)
        let normalization: Normalization = config.training.normalize == .unit ? .unit : .standardize
        let trainer = try Trainer(config: config, trainImages: dataset.train.images(normalization),
                                  trainLabels: dataset.train.labels, testImages: dataset.test.images(normalization),
                                  testLabels: dataset.test.labels, initialModel: initialModel,
                                  threads: threads == 0 ? nil : threads)

        let start = Date()
        let bar = ProgressBar(total: trainer.totalIterations)
        var recent: [Double] = []
        while !trainer.isFinished {
            let result = try trainer.step()
            recent.append(result.loss)
            if recent.count > 100 { recent.removeFirst() }
            bar.update(iteration: result.iteration, epoch: result.epoch, loss: result.loss)
        }
        bar.finish()
        let test = trainer.evaluateTest()
        if let out = flags.string("out") {
            try trainer.model().jsonData().write(to: URL(fileURLWithPath: out), options: .atomic)
        }
        let summary: [String: Any] = [
            "iterations": trainer.iteration,
            "final_train_loss": recent.reduce(0, +) / Double(max(recent.count, 1)),
            "test_accuracy": test.accuracy,
            "seconds": (Date().timeIntervalSince(start) * 1000).rounded() / 1000,
            "warnings": warnings.map(\.jsonObject),
        ]
        let line = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
        FileHandle.standardOutput.write(line + Data("\n".utf8))
        return 0
    }

    private static func read(_ path: String, what: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FlagError(description: "cannot read the \(what) file '\(path)'")
        }
        return data
    }
}

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
