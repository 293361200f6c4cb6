// `mnistd serve`: reads flags (each with an MNISTD_* environment fallback), starts the service, prints
// `listening on http://HOST:PORT` once it accepts connections, and runs until SIGTERM/SIGINT.
import Foundation
import Service

enum ServeCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        let flags = try Flags(arguments, allowed: ["host", "port", "data-dir", "state-dir", "workers", "token",
                                                   "queue-capacity", "checkpoint-seconds", "model-cache-mb"])
        var configuration = ServiceConfiguration()
        configuration.command = SelfCommand.text
        configuration.host = flags.string("host", env: "MNISTD_HOST") ?? configuration.host
        configuration.port = try flags.int("port", env: "MNISTD_PORT", default: configuration.port, range: 0...65535)
        configuration.dataDirectory = flags.string("data-dir", env: "MNISTD_DATA_DIR") ?? configuration.dataDirectory
        configuration.stateDirectory = flags.string("state-dir", env: "MNISTD_STATE_DIR") ?? configuration.stateDirectory
        configuration.workers = try flags.int("workers", env: "MNISTD_WORKERS", default: configuration.workers, range: 1...64)
        configuration.token = flags.string("token", env: "MNISTD_TOKEN")
        configuration.queueCapacity = try flags.int("queue-capacity", env: "MNISTD_QUEUE_CAPACITY",
                                                    default: configuration.queueCapacity, range: 1...10_000)
        configuration.checkpointInterval = TimeInterval(try flags.int(
            "checkpoint-seconds", env: "MNISTD_CHECKPOINT_SECONDS", default: Int(configuration.checkpointInterval), range: 1...86_400))
        configuration.modelCacheMB = try flags.int("model-cache-mb", env: "MNISTD_MODEL_CACHE_MB",
                                                   default: configuration.modelCacheMB, range: 1...1_048_576)

        let service = try TrainingService(configuration: configuration)
        let port = try service.start()
        print("listening on \(ServiceConfiguration.url(host: configuration.host, port: port))")
        // A wildcard address is not one a browser can open: point at this machine instead.
        let wildcard = ["0.0.0.0", "::", "[::]"].contains(configuration.host)
        let page = ServiceConfiguration.url(host: wildcard ? "localhost" : configuration.host, port: port)
        print("dashboard: \(page)/ (open it in a browser\(wildcard ? "; from another machine use this host's address or the published port" : ""))")
        fflush(stdout)
        service.runUntilSignalled()
        return 0
    }
}
