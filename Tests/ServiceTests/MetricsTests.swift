// Metrics: the exact Prometheus text for gauges, counters and a cumulative latency histogram, label
// escaping, and counts that add up under concurrent recording.
import Foundation
import Testing
@testable import Service

@Test func render_writesEveryFamilyWithHelpTypeAndSamples() {
    let metrics = Metrics()
    metrics.setJobCounts([.queued: 2, .running: 1, .succeeded: 5])
    metrics.addSamplesTrained(128)
    metrics.addSamplesTrained(128)
    metrics.recordRequest(route: "/jobs/{id}", method: "GET", status: 200, seconds: 0.0009765625)
    metrics.recordRequest(route: "/jobs/{id}", method: "GET", status: 404, seconds: 0.03125)
    metrics.recordRequest(route: "/jobs", method: "POST", status: 201, seconds: 20)
    let text = metrics.render()
    let expectedJobs = """
    # HELP mnistd_jobs Jobs by state.
    # TYPE mnistd_jobs gauge
    mnistd_jobs{state="queued"} 2
    mnistd_jobs{state="running"} 1
    mnistd_jobs{state="succeeded"} 5
    mnistd_jobs{state="failed"} 0
    mnistd_jobs{state="cancelled"} 0
    # HELP mnistd_samples_trained_total Training samples processed (minibatch rows).
    # TYPE mnistd_samples_trained_total counter
    mnistd_samples_trained_total 256
    # HELP mnistd_http_requests_total HTTP requests answered, by route pattern, method and status.
    # TYPE mnistd_http_requests_total counter
    mnistd_http_requests_total{route="/jobs",method="POST",status="201"} 1
    mnistd_http_requests_total{route="/jobs/{id}",method="GET",status="200"} 1
    mnistd_http_requests_total{route="/jobs/{id}",method="GET",status="404"} 1
    # HELP mnistd_http_request_duration_seconds Time to answer a request, by route pattern.
    # TYPE mnistd_http_request_duration_seconds histogram
    """
    #expect(text.hasPrefix(expectedJobs + "\n"))
    let lines = text.split(separator: "\n").map(String.init)
    let jobsRoute = lines.filter { $0.contains(#"route="/jobs/{id}""#) && $0.hasPrefix("mnistd_http_request_duration") }
    #expect(jobsRoute == [
        #"mnistd_http_request_duration_seconds_bucket{route="/jobs/{id}",le="0.001"} 1"#,
        #"mnistd_http_request_duration_seconds_bucket{route="/jobs/{id}",le="0.0025"} 1"#,
        #"mnistd_http_request_duration_seconds_bucket{route="/jobs/{id}",le="0.005"} 1"#,
        #"mnistd_http_request_duration_seconds_bucket{route="/jobs/{id}",le="0.01"} 1"#,
        #"mnistd_http_request_duration_seconds_bucket{route="/jobs/{id}",le="0.025"} 1"#,
        #"mnistd_http_request_duration_seconds_bucket{route="/jobs/{id}",le="0.05"} 2"#,
        #"mnistd_http_request_duration_seconds_bucket{route="/jobs/{id}",le="0.1"} 2"#,
        #"mnistd_http_request_duration_seconds_bucket{route="/jobs/{id}",le="0.25"} 2"#,
        #"mnistd_http_request_duration_seconds_bucket{route="/jobs/{id}",le="0.5"} 2"#,
        #"mnistd_http_request_duration_seconds_bucket{route="/jobs/{id}",le="1"} 2"#,
        #"mnistd_http_request_duration_seconds_bucket{route="/jobs/{id}",le="2.5"} 2"#,
        #"mnistd_http_request_duration_seconds_bucket{route="/jobs/{id}",le="5"} 2"#,
        #"mnistd_http_request_duration_seconds_bucket{route="/jobs/{id}",le="10"} 2"#,
        #"mnistd_http_request_duration_seconds_bucket{route="/jobs/{id}",le="+Inf"} 2"#,
        #"mnistd_http_request_duration_seconds_sum{route="/jobs/{id}"} 0.0322265625"#,
        #"mnistd_http_request_duration_seconds_count{route="/jobs/{id}"} 2"#,
    ])
    // 20 s is above every finite bucket: only +Inf counts it.
    #expect(lines.contains(#"mnistd_http_request_duration_seconds_bucket{route="/jobs",le="10"} 0"#))
    #expect(lines.contains(#"mnistd_http_request_duration_seconds_bucket{route="/jobs",le="+Inf"} 1"#))
    #expect(text.hasSuffix("\n"))
}

@Test func render_escapesLabelValues() {
    let metrics = Metrics()
    metrics.recordRequest(route: "a\"b\\c\nd", method: "GET", status: 400, seconds: 0)
    #expect(metrics.render().contains(#"mnistd_http_requests_total{route="a\"b\\c\nd",method="GET",status="400"} 1"#))
}

@Test func counters_addUpUnderConcurrentRecording() {
    let metrics = Metrics()
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
        for _ in 0..<1000 {
            metrics.addSamplesTrained(3)
            metrics.recordRequest(route: "/healthz", method: "GET", status: 200, seconds: 0.002)
        }
    }
    let text = metrics.render()
    #expect(text.contains("mnistd_samples_trained_total 24000\n"))
    #expect(text.contains(#"mnistd_http_requests_total{route="/healthz",method="GET",status="200"} 8000"#))
    #expect(text.contains(#"mnistd_http_request_duration_seconds_bucket{route="/healthz",le="0.001"} 0"#))
    #expect(text.contains(#"mnistd_http_request_duration_seconds_bucket{route="/healthz",le="0.0025"} 8000"#))
}
