// The real `mnistd` binary as a child process (train, help, flags): the train summary carries the training monitor's findings
// as a service job does, a divergence is reported on its own line, an unwritable --out fails before training,
// --help prints the usage, and a bad flag value read from the environment names the variable.
import Foundation
import Testing
import Engine
@testable import Service

/// Runs the `mnistd` binary beside the test bundle with `arguments`; returns (exit status, stdout, stderr).
private func mnistd(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
    let bundle = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
    let binary = bundle.deletingLastPathComponent().appendingPathComponent("mnistd")
    try #require(FileManager.default.isExecutableFile(atPath: binary.path),
                 "no mnistd binary beside the test bundle at \(binary.path): build it first (swift build -c release)")
    let directory = try TemporaryDirectory()
    let outURL = directory.url.appendingPathComponent("stdout"), errURL = directory.url.appendingPathComponent("stderr")
    try #require(FileManager.default.createFile(atPath: outURL.path, contents: nil))
    try #require(FileManager.default.createFile(atPath: errURL.path, contents: nil))
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    process.waitUntilExit()
    return (process.terminationStatus, try String(contentsOf: outURL, encoding: .utf8), try String(contentsOf: errURL, encoding: .utf8))
}

private func writeConfig(_ json: String, in directory: TemporaryDirectory) throws -> String {
    let path = directory.url.appendingPathComponent("job.json").path
    try Data(json.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

@Test func train_summaryWarnsLikeAJobWhenStd001OnlyTrainsTheBiases() throws {
    // The classic broken run: std 0.01 through four ReLU layers learns only its biases, loss stuck at 2.30.
    let directory = try TemporaryDirectory()
    let config = try writeConfig(#"{"model": {"init": "normal", "init_std": 0.01}, "training": {"optimizer": "sgd", "#
        + #""learning_rate": 0.01, "iterations": 1000}}"#, in: directory)
    let run = try mnistd(["train", "--config", config, "--data-dir", MNISTLocation.directory])
    #expect(run.status == 0)
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let codes = (summary["warnings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    #expect(codes.first == "init_too_small")  // the lint, before training
    #expect(codes.contains("vanishing_activations") && codes.contains("only_biases_learning"))  // the monitor, while training
    #expect(abs((summary["final_train_loss"] as? Double ?? 0) - 2.30) < 0.02)
}

@Test func train_reportsDivergenceOnItsOwnLineAndRefusesAnUnwritableOutBeforeTraining() throws {
    let directory = try TemporaryDirectory()
    let diverging = try writeConfig(#"{"training": {"learning_rate": 50, "iterations": 300}}"#, in: directory)
    let diverged = try mnistd(["train", "--config", diverging, "--data-dir", MNISTLocation.directory])
    #expect(diverged.status == 1 && diverged.stdout.isEmpty)
    #expect(diverged.stderr.split(separator: "\n").contains { $0.hasPrefix("mnistd train: training diverged at iteration") })
    let fine = try writeConfig(#"{"training": {"iterations": 300}}"#, in: directory)
    let out = directory.url.appendingPathComponent("missing/model.json").path
    let refused = try mnistd(["train", "--config", fine, "--data-dir", MNISTLocation.directory, "--out", out])
    #expect(refused.status == 2 && refused.stderr.contains("--out '\(out)'"))
    #expect(!refused.stderr.contains("it 1/300"))  // no progress bar: it never started
}

@Test func help_printsTheUsageForEveryWayOfAsking() throws {
    for arguments in [["help"], ["--help"], ["-h"], ["train", "--help"]] {
        let run = try mnistd(arguments)
        #expect(run.status == 0 && run.stdout.hasPrefix("usage: mnistd"), "mnistd \(arguments.joined(separator: " "))")
    }
    // One command's help is that command's part alone.
    for arguments in [["train", "--help"], ["help", "train"]] {
        let run = try mnistd(arguments)
        #expect(run.status == 0 && run.stdout.hasPrefix("usage: mnistd train [flags]") && run.stdout.contains("--config job.json")
                    && !run.stdout.contains("healthcheck"), "mnistd \(arguments.joined(separator: " ")): \(run.stdout)")
    }
}

@Test func aBadValueFromTheEnvironment_namesTheVariable() throws {
    let fromEnvironment = try mnistd(["serve"], environment: ["MNISTD_PORT": "abc"])
    #expect(fromEnvironment.status == 2 && fromEnvironment.stderr.contains("--port (from MNISTD_PORT) must be an integer"))
    let fromFlag = try mnistd(["serve", "--workers", "0"], environment: ["MNISTD_PORT": "0"])
    #expect(fromFlag.status == 2 && fromFlag.stderr.contains("--workers must be an integer in 1...64, got '0'"))
}

@Test func train_givesTheSameWeightsBitForBitAsAServiceJobOfTheSameConfig() throws {
    // Two epochs' worth of shuffles, evaluations every 100 steps and momentum state: both ways run one loop.
    let json = #"{"model": {"hidden": [32, 16]}, "training": {"iterations": 450, "batch_size": 200, "seed": 7, "#
        + #""eval_every": 100, "optimizer": "momentum"}}"#
    let directory = try TemporaryDirectory()
    let out = directory.url.appendingPathComponent("model.json")
    let run = try mnistd(["train", "--config", try writeConfig(json, in: directory), "--data-dir", MNISTLocation.directory,
                          "--out", out.path, "--threads", "1"])
    try #require(run.status == 0, "\(run.stderr)")

    let service = TestService.shared
    let job = try service.waitForEnd(try #require(service.submit(try JSONValue(parsing: Data(json.utf8)))["id"]?.stringValue))
    let modelID = try #require(job["model_id"]?.stringValue, "\(job)")
    let export = try service.client.get("/models/\(modelID)/export")
    try #require(export.status == 200)

    let fromCLI = try Model(jsonData: Data(contentsOf: out)), fromJob = try Model(jsonData: export.body)
    #expect(fromCLI.layers.count == 3 && fromCLI.layers.count == fromJob.layers.count)
    for (cli, served) in zip(fromCLI.layers, fromJob.layers) {
        #expect(cli.weights.flatMap { $0 }.map(\.bitPattern) == served.weights.flatMap { $0 }.map(\.bitPattern))
        #expect(cli.bias.map(\.bitPattern) == served.bias.map(\.bitPattern))
    }
    // The summary's test accuracy is the job's final evaluation.
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(summary["test_accuracy"] as? Double == job["metrics"]?["test_accuracy"]?.doubleValue)
}
