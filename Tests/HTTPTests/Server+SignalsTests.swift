// A signal runs the hook first, then the graceful shutdown (SIGUSR2 here, so the test process survives).
import Foundation
import Glibc
import Testing
@testable import HTTP

@Test func signals_runTheHookThenShutDownGracefully() throws {
    let server = Server(port: 0, router: liveRouter())
    let port = try server.start()
    let order = OrderLog()
    server.shutdownOnSignals([SIGUSR2]) { order.append("hook, stopping=\(server.isStopping)") }
    let busy = try ClientConnection(port: port)
    busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
    usleep(50_000)
    kill(getpid(), SIGUSR2)  // process-directed, as `kill` and container runtimes send it
    #expect(try busy.readResponse()?.text == "slow")
    let deadline = Date().addingTimeInterval(5)
    while order.entries.isEmpty && Date() < deadline { usleep(10_000) }
    #expect(order.entries == ["hook, stopping=false"])
    // Waits for the signal-started shutdown to finish (or, had no signal arrived, stops the server itself).
    server.shutdown()
    #expect(server.isStopping)
}

final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.withLock { items.append(item) } }
    var entries: [String] { lock.withLock { items } }
}
