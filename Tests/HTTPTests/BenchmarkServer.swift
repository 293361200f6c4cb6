// Not a test of behaviour: with MNISTD_HTTP_BENCH_PORT set, serves a small demo API until SIGTERM/SIGINT,
// for bench/http.sh to measure with wrk. Skipped otherwise.
import Foundation
import HTTP
import Testing

@Test(.enabled(if: ProcessInfo.processInfo.environment["MNISTD_HTTP_BENCH_PORT"] != nil))
func benchmarkServer_servesUntilSignalled() throws {
    let port = Int(ProcessInfo.processInfo.environment["MNISTD_HTTP_BENCH_PORT"] ?? "") ?? 0
    let router = Router()
    router.get("/healthz", inline: true) { _ in .json(["status": "ok"]) }
    router.get("/json", inline: true) { _ in .json(["message": "Hello, World!"]) }
    // The same answer handed to a worker lane, as every non-inline route is.
    router.get("/json/worker") { _ in .json(["message": "Hello, World!"]) }
    router.get("/slow") { _ in
        usleep(50_000)
        return .json(["slept_ms": 50])
    }
    var options = ServerOptions()
    if let lanes = ProcessInfo.processInfo.environment["MNISTD_HTTP_BENCH_LANES"].flatMap(Int.init) { options.workerLanes = lanes }
    let server = Server(host: "127.0.0.1", port: port, router: router, options: options)
    let bound = try server.start()
    print("listening on http://127.0.0.1:\(bound)")
    fflush(stdout)
    server.shutdownOnSignals()
    server.wait()
}
