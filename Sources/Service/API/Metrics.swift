// The `/metrics` registry: jobs by state (gauge), samples trained (counter), HTTP requests by route,
// method and status (counter), and request latency by route (histogram). Renders the Prometheus text
// exposition format 0.0.4.
import Foundation

/// Thread-safe service metrics.
public final class Metrics: @unchecked Sendable {
    /// Upper bounds of the latency histogram, seconds.
    public static let latencyBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// The `Content-Type` of `render()`.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private struct RequestKey: Hashable, Comparable {
        let route: String, method: String, status: Int
        static func < (a: RequestKey, b: RequestKey) -> Bool { (a.route, a.method, a.status) < (b.route, b.method, b.status) }
    }

    private struct Histogram {
        var counts = [UInt64](repeating: 0, count: Metrics.latencyBuckets.count)
        var sum = 0.0
        var count: UInt64 = 0
    }

    private let lock = NSLock()
    private var jobs: [JobState: Int] = [:]
    private var samples: UInt64 = 0
    private var requests: [RequestKey: UInt64] = [:]
    private var latency: [String: Histogram] = [:]

    public init() {}

    /// Sets the gauge of jobs per state (missing states are 0).
    public func setJobCounts(_ counts: [JobState: Int]) {
        lock.withLock { jobs = counts }
    }

    /// Counts `count` training samples (batch size per minibatch).
    public func addSamplesTrained(_ count: Int) {
        lock.withLock { samples &+= UInt64(max(0, count)) }
    }

    /// Records one answered request. `route` is the pattern (`/jobs/{id}`), not the raw path, so the
    /// number of series stays bounded.
    public func recordRequest(route: String, method: String, status: Int, seconds: Double) {
        lock.withLock {
            requests[RequestKey(route: route, method: method, status: status), default: 0] += 1
            var histogram = latency[route] ?? Histogram()
            if let bucket = Metrics.latencyBuckets.firstIndex(where: { seconds <= $0 }) { histogram.counts[bucket] += 1 }
            histogram.sum += max(0, seconds)
            histogram.count += 1
            latency[route] = histogram
        }
    }

    /// The exposition text: HELP and TYPE lines, then samples, series sorted by labels.
    public func render() -> String {
        lock.withLock {
            var out = ""
            out += "# HELP mnistd_jobs Jobs by state.\n# TYPE mnistd_jobs gauge\n"
            for state in JobState.allCases {
                out += "mnistd_jobs{state=\"\(state.rawValue)\"} \(jobs[state] ?? 0)\n"
            }
            out += "# HELP mnistd_samples_trained_total Training samples processed (minibatch rows).\n"
            out += "# TYPE mnistd_samples_trained_total counter\nmnistd_samples_trained_total \(samples)\n"
            out += "# HELP mnistd_http_requests_total HTTP requests answered, by route pattern, method and status.\n"
            out += "# TYPE mnistd_http_requests_total counter\n"
            for key in requests.keys.sorted() {
                out += "mnistd_http_requests_total{route=\"\(Metrics.escape(key.route))\",method=\"\(Metrics.escape(key.method))\",status=\"\(key.status)\"} \(requests[key]!)\n"
            }
            out += "# HELP mnistd_http_request_duration_seconds Time to answer a request, by route pattern.\n"
            out += "# TYPE mnistd_http_request_duration_seconds histogram\n"
            for route in latency.keys.sorted() {
                let histogram = latency[route]!
                let label = "route=\"\(Metrics.escape(route))\""
                var cumulative: UInt64 = 0
                for (bound, count) in zip(Metrics.latencyBuckets, histogram.counts) {
                    cumulative += count
                    out += "mnistd_http_request_duration_seconds_bucket{\(label),le=\"\(Metrics.format(bound))\"} \(cumulative)\n"
                }
                out += "mnistd_http_request_duration_seconds_bucket{\(label),le=\"+Inf\"} \(histogram.count)\n"
                out += "mnistd_http_request_duration_seconds_sum{\(label)} \(Metrics.format(histogram.sum))\n"
                out += "mnistd_http_request_duration_seconds_count{\(label)} \(histogram.count)\n"
            }
            return out
        }
    }

    /// Label values escape backslash, double quote and newline (exposition format spec).
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
