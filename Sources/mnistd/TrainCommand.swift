// `mnistd train`: one job in the foreground, through the service's training loop — progress bar on stderr,
// model to --out, one JSON line on stdout; Ctrl-C stops at the next minibatch.
import Engine
import Foundation
import IDX
import Service

enum TrainCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        let flags = try Flags(arguments, allowed: ["config", "data-dir", "init-model", "out", "threads"])
        guard let configPath = flags.string("config") else { throw FlagError(description: "--config job.json is required") }
        let threads = try flags.int("threads", default: 0, range: 0...1024)
        let config: JobConfig
        do {
            config = try JobConfig.parse(try read(configPath, what: "config"))
            // Layers whose shapes do not fit are refused before the data loads (MNIST-format images are 28 × 28).
            _ = try config.model.networkSpec()
        } catch let error as ConfigError {
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
                throw FlagError(description: "--init-model '\(path)' is not a model export (mnistd-net-v2 or mnistd-mlp-v1): \(error)")
            }
        }
        // Refuse an --out that cannot be written before training, not after.
        if let out = flags.string("out") { try checkWritable(out) }

        let dataDirectory = flags.string("data-dir", env: "MNISTD_DATA_DIR") ?? "data"
        let dataset = try DatasetCatalog(dataDirectory: dataDirectory).load(name: config.dataset)
        let trainer = try Trainer(config: config, dataset: dataset, initialModel: initialModel,
                                  threads: threads == 0 ? nil : threads)

        // The loop a service job runs; the console reporter draws the bar and keeps the monitor's findings.
        let start = Date()
        let reporter = ConsoleReporter(total: trainer.totalIterations)
        let loop = TrainingLoop(trainer: trainer)
        let token = CancelToken()
        let interrupts = Interrupts { token.cancel() }
        defer { interrupts.restore() }
        let ending: TrainingEnding
        do { ending = try loop.run(token, reporting: reporter) } catch {
            reporter.bar.finish()  // the error goes on its own line, not after the bar
            throw error
        }
        guard case .succeeded(let model) = ending else {
            FileHandle.standardError.write(Data("mnistd train: interrupted at iteration \(trainer.iteration); no model written\n".utf8))
            return 130
        }
        if let out = flags.string("out") {
            do { try model.jsonData().write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                throw FlagError(description: "cannot write the model to --out '\(out)': \(error.localizedDescription)")
            }
        }
        let summary: [String: Any] = [
            "iterations": trainer.iteration,
            "final_train_loss": loop.recentMeanLoss ?? 0,
            "test_accuracy": loop.testAccuracy ?? 0,
            "seconds": (Date().timeIntervalSince(start) * 1000).rounded() / 1000,
            "warnings": warnings.map(\.jsonObject) + reporter.found.map(\.jsonObject),
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
