// The datasets of the data directory, each loaded once on first use and shared by every job and request:
// raw splits for the page and `test_index`, and float32 images per normalisation for trainers (arrays
// are copy-on-write, so all trainers of one dataset share one buffer).
import Foundation
import IDX

/// Loads datasets by name through a `DatasetCatalog`, once, with concurrent callers waiting for the first.
public final class DatasetRegistry: @unchecked Sendable {
    /// The test split as float inputs (training reads the raw training pixels and normalizes per batch).
    public struct Images: Sendable {
        public let test: [Float]
    }

    public let catalog: DatasetCatalog
    /// Told each time a dataset is read from disk: where from and how big, so that data a running service
    /// picks up (after `mnistd fetch-data`, say) shows in its log.
    private let log: @Sendable (String) -> Void
    private let condition = NSCondition()
    private var datasets: [String: Dataset] = [:]
    private var loading: Set<String> = []
    private var images: [String: Images] = [:]
    private var converting: Set<String> = []

    public init(catalog: DatasetCatalog, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.catalog = catalog
        self.log = log
    }

    /// Names present in the data directory (and system dataset directories), default first.
    public func names() -> [String] { catalog.names() }

    /// Whether `name` can be loaded (its four files are present).
    public func exists(_ name: String) -> Bool { catalog.directory(for: name) != nil }

    /// The dataset if it is loaded already; never blocks on loading.
    public func loaded(_ name: String) -> Dataset? {
        condition.withLock { datasets[name] }
    }

    /// The dataset, loading it on first use (other callers wait). Throws the IDX error when it cannot load;
    /// a failed load is retried by the next call.
    public func dataset(_ name: String) throws -> Dataset {
        try once(name, ready: { datasets[name] }, busy: \.loading, make: {
            let dataset = try catalog.load(name: name)
            log("dataset '\(name)' loaded from \(catalog.directory(for: name) ?? "?"): "
                + "\(dataset.train.count) training and \(dataset.test.count) test images")
            return dataset
        }, store: { datasets[name] = $0 })
    }

    /// Both splits as float32 in `normalization`, converted once per (dataset, normalisation).
    public func images(_ name: String, _ normalization: Normalization) throws -> Images {
        let dataset = try dataset(name)
        let key = "\(name)/\(normalization.rawValue)"
        return try once(key, ready: { images[key] }, busy: \.converting,
                        make: { Images(test: dataset.test.images(normalization)) },
                        store: { images[key] = $0 })
    }

    /// Runs `make` for `key` unless a value is ready; while one caller makes it, others wait for it.
    private func once<Value>(_ key: String, ready: () -> Value?, busy: ReferenceWritableKeyPath<DatasetRegistry, Set<String>>,
                             make: () throws -> Value, store: (Value) -> Void) throws -> Value {
        condition.lock()
        while true {
            if let value = ready() { condition.unlock(); return value }
            if !self[keyPath: busy].contains(key) { break }
            condition.wait()
        }
        self[keyPath: busy].insert(key)
        condition.unlock()
        defer {
            condition.lock()
            self[keyPath: busy].remove(key)
            condition.broadcast()
            condition.unlock()
        }
        let value = try make()
        condition.withLock { store(value) }
        return value
    }
}
