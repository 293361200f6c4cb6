// What `mnistd serve` was asked for: where to listen, where data and state live, how many workers,
// the optional bearer token, and the limits that keep one request or job from exhausting the machine.
import Foundation

/// Settings of one `TrainingService`. The defaults are the command line's.
public struct ServiceConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 asks the kernel for a free port.
    public var port = 8080
    public var dataDirectory = "data"
    public var stateDirectory = "state"
    /// Jobs trained at once. One job already uses every core through the engine's shared compute pool.
    public var workers = 1
    /// When set, every POST and DELETE needs `Authorization: Bearer <token>`.
    public var token: String?
    /// Jobs that may wait for a worker; more get 429.
    public var queueCapacity = 16
    /// A running job writes a checkpoint this often (seconds), and always when the service stops.
    public var checkpointInterval: TimeInterval = 30
    /// Largest estimated memory of one job (weights, gradients, optimizer state, activations), bytes.
    public var maxJobBytes = 1 << 30
    /// Largest request body, bytes (a 1000-image predict request is about 3 MB of JSON).
    public var maxBodyBytes = 8 << 20
    /// Memory for models ready to predict (parsed weights and idle predictors), MB; the least recently used go
    /// past it (`--model-cache-mb`, MNISTD_MODEL_CACHE_MB).
    public var modelCacheMB = 256
    /// Fetch MNIST from the mirrors when the data directory has none.
    public var downloadMissingData = true
    /// This program as a user can type it (the offline instructions name it): `mnistd` when PATH finds it.
    public var command = "mnistd"
    /// Extra directories per dataset name (Debian's fashion-mnist package by default; tests pass [:]).
    public var extraDatasetDirectories: [String: [String]]? = nil

    public init() {}

    /// `http://host:port` as printed on the `listening on` line; IPv6 hosts get brackets.
    public static func url(host: String, port: Int) -> String {
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "http://\(shown):\(port)"
    }
}
