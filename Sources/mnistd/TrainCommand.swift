// `mnistd train`: one job in the foreground — progress bar on stderr, model to --out, one JSON line on stdout.
import Engine
import Foundation
import IDX

enum TrainCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        let flags = try Flags(arguments, allowed: ["config", "data-dir", "init-model", "out", "threads"])
        guard let configPath = flags.string("config") else { throw FlagError(description: "--config job.json is required") }
        let threads = try flags.int("threads", default: 0, range: 0...1024)
        let config: JobConfig
        do { config = try JobConfig.parse(try read(configPath, what: "config")) } catch let error as ConfigError {
            // The parser speaks of a request body; here it is a file.
            throw FlagError(description: error.field.isEmpty
                ? "--config '\(configPath)' must hold one JSON object, the body POST /jobs takes: \(error.message)"
                : "--config '\(configPath)': \(error)")
        }
        var warnings = config.warnings()
        if config.model.fromModel != nil {
            warnings.append(ConfigWarning(code: "from_model_ignored",
                                          message: "model.from_model names a stored model of the service; mnistd train uses --init-model"))
        }
        let initialModel = try flags.string("init-model").map { path in
            do { return try Model(jsonData: read(path, what: "model")) } catch let error as ModelError {
                throw FlagError(description: "--init-model '\(path)' is not an mnistd-mlp-v1 export: \(error)")
            }
        }
        // Refuse an --out that cannot be written before training, not after.
        if let out = flags.string("out") { try checkWritable(out) }

        let dataDirectory = flags.string("data-dir", env: "MNISTD_DATA_DIR") ?? "data"
        let dataset = try DatasetCatalog(dataDirectory: dataDirectory).load(name: config.dataset)
        let normalization: Normalization = config.training.normalize == .unit ? .unit : .standardize
        let (mean, deviation) = normalization.meanAndDeviation
        let trainer = try Trainer(config: config, trainImages: .bytes(dataset.train.pixels, mean: mean, deviation: deviation),
                                  trainLabels: dataset.train.labels, testImages: dataset.test.images(normalization),
                                  testLabels: dataset.test.labels, initialModel: initialModel,
                                  threads: threads == 0 ? nil : threads)

        let start = Date()
        let bar = ProgressBar(total: trainer.totalIterations)
        // The service's training monitor too, so the summary warns as a job would (vanishing activations, ...).
        let monitor = TrainingMonitor(config: config)
        var found: [TrainingWarning] = []
        var recent: [Double] = []
        while !trainer.isFinished {
            let result: StepResult
            do { result = try trainer.step() } catch {
                bar.finish()  // the error goes on its own line, not after the bar
                throw error
            }
            recent.append(result.loss)
            if recent.count > 100 { recent.removeFirst() }
            bar.update(iteration: result.iteration, epoch: result.epoch, loss: result.loss)
            // Every 50 iterations and at each epoch's end, as the service takes its diagnostics.
            if result.iteration % 50 == 0 || result.iteration % trainer.iterationsPerEpoch == 0 || trainer.isFinished {
                found += monitor.observe(iteration: result.iteration, layers: trainer.diagnostics(),
                                         recentLoss: recent.reduce(0, +) / Double(recent.count))
            }
        }
        bar.finish()
        let test = trainer.evaluateTest()
        if let out = flags.string("out") {
            do { try trainer.model().jsonData().write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                throw FlagError(description: "cannot write the model to --out '\(out)': \(error.localizedDescription)")
            }
        }
        let summary: [String: Any] = [
            "iterations": trainer.iteration,
            "final_train_loss": recent.reduce(0, +) / Double(max(recent.count, 1)),
            "test_accuracy": test.accuracy,
            "seconds": (Date().timeIntervalSince(start) * 1000).rounded() / 1000,
            "warnings": warnings.map(\.jsonObject) + found.map(\.jsonObject),
        ]
        let line = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
        FileHandle.standardOutput.write(line + Data("\n".utf8))
        return 0
    }

    /// Throws naming --out when `path`'s folder is missing or not writable.
    private static func checkWritable(_ path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw FlagError(description: "cannot write the model to --out '\(path)': no folder '\(folder)'")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw FlagError(description: "cannot write the model to --out '\(path)': the folder '\(folder)' is not writable")
        }
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
