// A real TrainingService on a free port with a throwaway state directory, the real MNIST as its data, and
// helpers to submit jobs and wait for them. Services share one DatasetRegistry, so MNIST is read once.
import Foundation
import HTTP
import IDX
import Testing
@testable import Service
import TestSupport

enum MNISTLocation {
    /// Where `SharedMNIST` finds the real MNIST; the run stops with one line when it is nowhere.
    static var directory: String { SharedMNIST.requireDirectory() }

    /// One registry for every in-process service of the test run (system dataset folders ignored).
    static let registry = DatasetRegistry(catalog: DatasetCatalog(dataDirectory: directory, extraDirectories: [:]))
}

final class TestService {
    let directory: TemporaryDirectory
    let service: TrainingService
    let client: HTTPClient
    var port: Int { client.port }

    /// Starts a service; `change` adjusts the configuration (token, queue capacity, ...).
    init(stateDirectory: TemporaryDirectory? = nil, _ change: (inout ServiceConfiguration) -> Void = { _ in }) throws {
        directory = try stateDirectory ?? TemporaryDirectory()
        var configuration = ServiceConfiguration()
        configuration.port = 0
        configuration.dataDirectory = MNISTLocation.directory
        configuration.stateDirectory = directory.file("state").path
        configuration.downloadMissingData = false
        configuration.extraDatasetDirectories = [:]
        change(&configuration)
        let shared = configuration.dataDirectory == MNISTLocation.directory ? MNISTLocation.registry : nil
        service = try TrainingService(configuration: configuration, datasets: shared, log: { _ in })
        client = HTTPClient(port: try service.start())
    }

    deinit { service.stop() }

    /// The service used by tests that need no special configuration.
    /// It lives until the process exits, so its deinit never runs: its state directory is removed at exit.
    static let shared: TestService = {
        do {
            let service = try TestService()
            sharedStateDirectory = service.directory.url.path
            atexit { if let path = TestService.sharedStateDirectory { try? FileManager.default.removeItem(atPath: path) } }
            return service
        } catch { fatalError("cannot start the shared test service: \(error)") }
    }()
    nonisolated(unsafe) static var sharedStateDirectory: String?

    /// A default job (10 epochs of 784-100x4-10, momentum, lr 0.05) trained once for the whole run.
    static let defaultJob: JSONValue = {
        do {
            let created = try shared.client.post("/jobs", json: [:])
            precondition(created.status == 201, "POST /jobs answered \(created.status): \(created.text)")
            return try shared.waitForEnd(created.json["id"]!.stringValue!, timeout: 600)
        } catch { fatalError("the default job did not run: \(error)") }
    }()

    /// POSTs a job and returns its JSON (status 201 checked).
    func submit(_ body: JSONValue) throws -> JSONValue {
        let response = try client.post("/jobs", json: body)
        #expect(response.status == 201, "\(response.text)")
        return response.json
    }

    /// Polls until the job is finished; returns its last JSON.
    @discardableResult
    func waitForEnd(_ id: String, timeout: TimeInterval = 300) throws -> JSONValue {
        try waitFor(id, timeout: timeout) { ["succeeded", "failed", "cancelled"].contains($0["state"]?.stringValue ?? "") }
    }

    /// Polls the job every 20 ms until `condition` holds.
    @discardableResult
    func waitFor(_ id: String, timeout: TimeInterval = 300, _ condition: (JSONValue) -> Bool) throws -> JSONValue {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let job = try client.get("/jobs/\(id)").json
            if condition(job) { return job }
            if Date() > deadline { throw WaitTimeout(job: job) }
            usleep(20_000)
        }
    }

    struct WaitTimeout: Error { let job: JSONValue }
}
