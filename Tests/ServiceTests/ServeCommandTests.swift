// The real `mnistd serve` binary as a child process: `--port 0` prints one `listening on` line; after
// `kill -9` a restart on the same state dir resumes the interrupted job from its checkpoint and loses no
// job, model or history point; SIGTERM or SIGINT checkpoints a running job (it stays `running`) and exits 0.
import Foundation
import HTTP
import Testing
@testable import Service
#if canImport(Glibc)
import Glibc
#endif

/// One `mnistd serve` child process.
private final class ServeProcess {
    let process = Process()
    let port: Int
    var client: HTTPClient { HTTPClient(port: port) }

    init(state: URL) throws {
        let bundle = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let binary = bundle.deletingLastPathComponent().appendingPathComponent("mnistd")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path),
                     "no mnistd binary beside the test bundle at \(binary.path): build it first (swift build -c release)")
        process.executableURL = binary
        process.arguments = ["serve", "--port", "0", "--data-dir", MNISTLocation.directory, "--state-dir", state.path,
                             "--checkpoint-seconds", "1"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        func readLine() -> String {
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let byte = output.fileHandleForReading.readData(ofLength: 1)
                if byte.isEmpty { break }
                line += byte
            }
            return String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // The first line of stdout: `listening on http://127.0.0.1:PORT`, then where the page is.
        let text = readLine()
        try #require(text.hasPrefix("listening on http://127.0.0.1:"), "first stdout line: '\(text)'")
        port = try #require(Int(text.split(separator: ":").last!))
        let dashboard = readLine()
        #expect(dashboard == "dashboard: http://127.0.0.1:\(port)/ (open it in a browser)")
        let deadline = Date().addingTimeInterval(120)
        while (try? client.get("/healthz").status) != 200 && Date() < deadline { usleep(50_000) }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    func waitFor(_ id: String, timeout: TimeInterval = 300, _ condition: (JSONValue) -> Bool) throws -> JSONValue {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let job = try client.get("/jobs/\(id)").json
            if condition(job) || Date() > deadline { return job }
            usleep(20_000)
        }
    }

    func waitForEnd(_ id: String) throws -> JSONValue {
        try waitFor(id) { ["succeeded", "failed", "cancelled"].contains($0["state"]?.stringValue ?? "") }
    }
}

@Test func serve_afterKill9_resumesTheInterruptedJobAndLosesNothing() throws {
    let directory = try TemporaryDirectory()
    let state = directory.file("state")
    var first: ServeProcess? = try ServeProcess(state: state)
    let client = first!.client
    let small = try client.post("/jobs", json: ["model": ["hidden": [32]], "training": ["iterations": 100]]).json["id"]!.stringValue!
    let smallDone = try first!.waitForEnd(small)
    #expect(smallDone["state"] == "succeeded")
    let model = try #require(smallDone["model_id"]?.stringValue)
    let long = try client.post("/jobs", json: ["model": ["hidden": [100, 100]], "training": ["epochs": 8]]).json["id"]!.stringValue!
    let queued = try client.post("/jobs", json: ["model": ["hidden": [16]], "training": ["iterations": 50]]).json["id"]!.stringValue!
    let checkpoint = state.appendingPathComponent("jobs/\(long)/checkpoint.bin")
    let deadline = Date().addingTimeInterval(300)
    while !FileManager.default.fileExists(atPath: checkpoint.path) && Date() < deadline { usleep(20_000) }
    #expect(FileManager.default.fileExists(atPath: checkpoint.path))
    kill(first!.process.processIdentifier, SIGKILL)
    first!.process.waitUntilExit()
    #expect(first!.process.terminationReason == .uncaughtSignal)
    first = nil

    let second = try ServeProcess(state: state)
    let resumed = try second.waitForEnd(long)
    #expect(resumed["state"] == "succeeded", "\(resumed["error"] ?? .null)")
    let from = try #require(resumed["resumed_from_iteration"]?.intValue)
    #expect(from > 0 && from < 3752)
    #expect(resumed["progress"]?["iteration"] == 3752)
    let points = try #require(second.client.get("/jobs/\(long)/history").json["points"]?.arrayValue)
    #expect(points.map { $0["iteration"]?.intValue ?? -1 } == Array(1...3752))
    #expect((resumed["metrics"]?["test_accuracy"]?.doubleValue ?? 0) > 0.95)
    // The other jobs and the model survived; the queued job ran after the restart.
    #expect(try second.client.get("/jobs/\(small)").json["state"] == "succeeded")
    #expect(try second.client.get("/models/\(model)").status == 200)
    #expect(try second.waitForEnd(queued)["state"] == "succeeded")
    #expect(try second.client.get("/models").json["models"]?.arrayValue?.count == 3)
}

/// SIGTERM (docker stop) and SIGINT (Ctrl-C) alike.
@Test(arguments: [SIGTERM, SIGINT])
func serve_onSIGTERMOrSIGINT_checkpointsTheRunningJobAndExitsZero(signal: Int32) throws {
    let directory = try TemporaryDirectory()
    let state = directory.file("state")
    let server = try ServeProcess(state: state)
    let id = try server.client.post("/jobs", json: ["model": ["hidden": [64]], "training": ["iterations": 10_000_000]]).json["id"]!.stringValue!
    let running = try server.waitFor(id) { ($0["progress"]?["iteration"]?.intValue ?? 0) > 100 }
    #expect(running["state"] == "running")
    let sent = Date()
    kill(server.process.processIdentifier, signal)
    server.process.waitUntilExit()
    #expect(Date().timeIntervalSince(sent) < 10)
    #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0)
    let store = try JobStore(directory: state)
    let job = try #require(store.job(id))
    #expect(job.state == .running)
    #expect(store.startup.interrupted == [id])
    let checkpoint = try #require(try store.checkpoint(for: id))
    #expect(job.progress.iteration > 100 && !checkpoint.isEmpty)
    #expect(try store.history(id)?.points().count == job.progress.iteration)
}
