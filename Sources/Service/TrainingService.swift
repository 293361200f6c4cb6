// The service assembled: the job store, the bounded queue and its worker pool running the JobRunner, the
// experiments and their successive-halving coordinator, the dataset registry, metrics, the routes, and the
// HTTP server. `start()` restores jobs from the state dir, prepares the data in the background and listens;
// `stop()` checkpoints running jobs and closes.
import Engine
import Foundation
import HTTP
import IDX

/// One running mnistd service.
public final class TrainingService: @unchecked Sendable {
    public let configuration: ServiceConfiguration
    public let store: JobStore
    public let queue: JobQueue
    public let datasets: DatasetRegistry
    public let metrics = Metrics()
    let experiments: ExperimentStore
    let coordinator: ExperimentCoordinator
    let pool: WorkerPool
    let routes: RouteTable
    let predictors: PredictorCache
    let evaluations = EvaluationCache()
    let page: Page
    let log: @Sendable (String) -> Void
    private let lock = NSLock()
    private var server: Server?
    private var dataStatus = "the dataset 'mnist' is not loaded yet"
    private var stopping = false

    /// Opens the state directory and builds everything; nothing runs until `start()`.
    /// `datasets` may be shared between services (tests); by default it reads `configuration.dataDirectory`.
    public init(configuration: ServiceConfiguration, datasets: DatasetRegistry? = nil,
                log: @escaping @Sendable (String) -> Void = TrainingService.logToStandardError) throws {
        self.configuration = configuration
        self.log = log
        store = try JobStore(directory: URL(fileURLWithPath: configuration.stateDirectory))
        let restoring = store.startup.interrupted.count + store.startup.queued.count
        queue = JobQueue(capacity: max(configuration.queueCapacity, restoring, 1))
        self.datasets = datasets ?? DatasetRegistry(catalog: DatasetCatalog(
            dataDirectory: configuration.dataDirectory,
            extraDirectories: configuration.extraDatasetDirectories ?? DatasetCatalog.systemDirectories), log: log)
        experiments = try ExperimentStore(directory: URL(fileURLWithPath: configuration.stateDirectory)
            .appendingPathComponent("experiments"))
        let coordinator = ExperimentCoordinator(experiments: experiments, jobs: store, queue: queue, log: log)
        self.coordinator = coordinator
        let runner = JobRunner(store: store, datasets: self.datasets, metrics: metrics,
                               checkpointInterval: configuration.checkpointInterval, experiments: coordinator, log: log)
        pool = WorkerPool(queue: queue, workers: max(1, configuration.workers),
                          run: { id, token in runner.run(id, token) }, done: { id in coordinator.ended(id) })
        routes = RouteTable()
        predictors = PredictorCache(store: store, limitBytes: configuration.modelCacheMB << 20)
        page = Page.load()
        for (path, reason) in store.startup.unreadable { log("state: cannot read \(path): \(reason)") }
        for (path, reason) in experiments.unreadable { log("state: cannot read \(path): \(reason)") }
        registerRoutes()
    }

    /// Re-queues interrupted and queued jobs, starts the workers and the data preparation, and listens.
    /// Returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        restoreJobs()
        coordinator.restore()
        pool.start()
        prepareData()
        var options = ServerOptions()
        options.maxBodyBytes = configuration.maxBodyBytes
        options.shutdownTimeout = 3
        let server = Server(host: configuration.host, port: configuration.port, router: routes.router, options: options)
        let port = try server.start()
        lock.withLock { self.server = server }
        return port
    }

    /// Stops taking work, checkpoints running jobs (they stay `running` on disk), and closes the server.
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopping = true }
            return !stopping
        }
        if first && !pool.stop(timeout: 8) { log("stop: a job did not reach its checkpoint within 8 s") }
        lock.withLock { server }?.shutdown()
    }

    /// Serves until SIGTERM or SIGINT, then stops as `stop()` does.
    public func runUntilSignalled() {
        guard let server = lock.withLock({ server }) else { return }
        server.shutdownOnSignals { [self] in
            let running = pool.runningJobs.count
            log(running == 0 ? "stopping: no job is running" : "stopping: checkpointing \(running) running job(s)")
            lock.withLock { stopping = true }
            if !pool.stop(timeout: 8) { log("stop: a job did not reach its checkpoint within 8 s") }
        }
        server.wait()
    }

    /// nil when healthy: the default dataset is loaded and every worker runs; else the reason.
    public var unhealthyReason: String? {
        if lock.withLock({ stopping }) { return "the service is stopping" }
        guard datasets.loaded(DatasetCatalog.defaultName) != nil else { return lock.withLock { dataStatus } }
        let alive = pool.aliveWorkers
        if alive < pool.workers { return "\(pool.workers - alive) of \(pool.workers) workers stopped" }
        return nil
    }

    public static let logToStandardError: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data("mnistd: \(message)\n".utf8))
    }

    // MARK: - Startup

    /// Jobs a stop or crash interrupted go first (they resume from their checkpoints), then queued ones.
    private func restoreJobs() {
        let report = store.startup
        for id in report.interrupted + report.queued {
            do {
                try store.update(id) { if $0.state == .running { $0.state = .queued } }
                try queue.enqueue(id)
            } catch {
                log("startup: cannot re-queue job \(id): \(error)")
            }
        }
        if !report.interrupted.isEmpty { log("startup: resuming \(report.interrupted.count) interrupted job(s)") }
    }

    /// Downloads MNIST when absent (offline: logs what to put where), then loads it.
    private func prepareData() {
        let name = DatasetCatalog.defaultName
        let directory = configuration.dataDirectory
        let instructions = { MNISTDownloader.instructions(dataDirectory: directory, command: self.configuration.command) }
        Thread.detachNewThread { [self] in
            if !datasets.exists(name) {
                guard configuration.downloadMissingData else {
                    setDataStatus("MNIST is not in \(directory): " + instructions())
                    return
                }
                setDataStatus("downloading MNIST into \(directory)")
                do {
                    try MNISTDownloader.ensure(dataDirectory: directory, command: configuration.command, log: log)
                } catch {
                    log("\(error)")
                    setDataStatus("MNIST is not in \(directory) and cannot be downloaded: " + instructions())
                    return
                }
            }
            setDataStatus("loading the dataset 'mnist'")
            do {
                _ = try datasets.images(name, .unit)
            } catch {
                log("cannot load the dataset 'mnist': \(error)")
                setDataStatus("cannot load the dataset 'mnist': \(error)")
            }
        }
    }

    private func setDataStatus(_ status: String) {
        lock.withLock { dataStatus = status }
    }

    private func registerRoutes() {
        installMiddleware()
        registerServiceRoutes()
        registerJobRoutes()
        registerModelRoutes()
        registerPredictRoute()
        registerEvaluationRoutes()
        registerDatasetRoutes()
        registerPresetRoutes()
        registerExperimentRoutes()
        registerSweepRoutes()
    }
}
