// Concurrency: slow handlers do not hold up the loop, idle connections cost no threads, the connection
// limit answers 503, and shutdown finishes what is in flight.
import Foundation
import Glibc
import Testing
@testable import HTTP

func threadCount() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("Threads:") } ?? ""
    return Int(line.split(separator: "\t").last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "") ?? -1
}

@Test func server_answersFastRequestsWhileSlowHandlersRun() throws {
    try withServer(liveRouter()) { _, port in
        let slowClients = try (0..<4).map { _ in try ClientConnection(port: port) }
        for client in slowClients { client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n") }
        usleep(20_000)
        let fast = try ClientConnection(port: port)
        let asked = Date()
        fast.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try fast.readResponse()?.status == 200)
        #expect(Date().timeIntervalSince(asked) < 0.15, "fast request took \(Date().timeIntervalSince(asked)) s")
        for client in slowClients { #expect(try client.readResponse()?.text == "slow") }
    }
}

@Test func server_answersInlineRoutesWhileEveryWorkerLaneIsBusy() throws {
    var options = ServerOptions()
    options.workerLanes = 2
    try withServer(liveRouter(), options: options) { _, port in
        let slowClients = try (0..<3).map { _ in try ClientConnection(port: port) }
        for client in slowClients { client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n") }
        usleep(30_000)
        // Both lanes sleep in /slow and a third waits: an inline route is still answered at once...
        let inline = try ClientConnection(port: port)
        var asked = Date()
        inline.send("GET /echo/now HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try inline.readResponse()?.text == "now")
        let inlineSeconds = Date().timeIntervalSince(asked)
        #expect(inlineSeconds < 0.1, "inline request took \(inlineSeconds) s")
        // ...while a worker route queues behind the slow ones, which shows the lanes really were full.
        let queued = try ClientConnection(port: port)
        asked = Date()
        queued.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try queued.readResponse()?.status == 200)
        #expect(Date().timeIntervalSince(asked) > 0.15, "a worker route did not wait for a free lane")
        for client in slowClients { #expect(try client.readResponse()?.text == "slow") }
    }
}

@Test func server_runsInlineHandlersOnTheLoopThreadAndOthersOnWorkers() throws {
    try withServer(liveRouter()) { _, port in
        let client = try ClientConnection(port: port)
        client.send("GET /thread HTTP/1.1\r\nHost: t\r\n\r\nGET /thread/worker HTTP/1.1\r\nHost: t\r\n\r\n")
        let loopName = try client.readResponse()?.text
        #expect(loopName == "http.loop", "inline handler ran on \(loopName ?? "?")")
        let worker = try #require(try client.readResponse()?.text)
        #expect(worker != "http.loop")
        // HEAD of an inline GET is inline too (on a fresh connection: after a hand-over, the worker goes on
        // serving its connection until the input runs dry).
        let fresh = try ClientConnection(port: port)
        fresh.send("HEAD /thread HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try fresh.readResponse(headOnly: true)?.headers["Content-Length"] == "\("http.loop".utf8.count)")
    }
}

@Test func server_answersPipelinedInlineAndWorkerRequestsInOrder() throws {
    try withServer(liveRouter()) { _, port in
        let client = try ClientConnection(port: port)
        client.send("GET /echo/a HTTP/1.1\r\nHost: t\r\n\r\n" + "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /echo/b HTTP/1.1\r\nHost: t\r\n\r\n" + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nc"
                    + "GET /echo/d HTTP/1.1\r\nHost: t\r\n\r\n")
        for expected in ["a", "slow", "b", "c", "d"] { #expect(try client.readResponse()?.text == expected) }
    }
}

@Test func server_handsALongPipelineOfInlineRequestsToAWorker() throws {
    try withServer(liveRouter()) { _, port in
        let client = try ClientConnection(port: port)
        // 200 inline requests in one write: the loop answers the first ones, a worker the rest, in order.
        client.send((0..<200).map { _ in "GET /thread HTTP/1.1\r\nHost: t\r\n\r\n" }.joined())
        var names: [String] = []
        for _ in 0..<200 { names.append(try #require(try client.readResponse()?.text)) }
        #expect(names.first == "http.loop")
        #expect(names.filter { $0 == "http.loop" }.count <= Connection.loopRequests)
        #expect(names.last != "http.loop")
    }
}

@Test func server_holdsFiveHundredIdleConnectionsWithoutAThreadEach() throws {
    try withServer(liveRouter()) { server, port in
        let before = threadCount()
        let idle = try (0..<500).map { _ in try ClientConnection(port: port) }
        // Release builds may free `idle` after its last use; keep every socket open to the end.
        defer { withExtendedLifetime(idle) {} }
        let deadline = Date().addingTimeInterval(3)
        while server.connectionCount < 500 && Date() < deadline { usleep(10_000) }
        #expect(server.connectionCount == 500)
        // Process-wide count, and tests run in parallel: allow for other tests' threads, far below 500.
        #expect(threadCount() - before < 64, "threads went from \(before) to \(threadCount())")
        var worst = 0.0
        for _ in 0..<10 {
            let client = try ClientConnection(port: port)
            let asked = Date()
            client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse()?.status == 200)
            worst = max(worst, Date().timeIntervalSince(asked))
        }
        #expect(worst < 0.05, "slowest GET with 500 idle connections: \(worst) s")
    }
}

@Test func server_answers503BeyondTheConnectionLimit() throws {
    var options = ServerOptions()
    options.maxConnections = 4
    try withServer(liveRouter(), options: options) { server, port in
        let admitted = try (0..<4).map { _ in try ClientConnection(port: port) }
        defer { withExtendedLifetime(admitted) {} }
        let deadline = Date().addingTimeInterval(2)
        while server.connectionCount < 4 && Date() < deadline { usleep(5_000) }
        let rejected = try ClientConnection(port: port)
        let response = try #require(try rejected.readResponse())
        #expect(response.status == 503 && response.errorCode == "too_many_connections")
        #expect(response.headers["Retry-After"] == "1")
        #expect(try rejected.isClosedByServer())
        // The admitted ones are still served.
        admitted[0].send("GET /echo/in HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try admitted[0].readResponse()?.text == "in")
    }
}

@Test func server_finishesInFlightRequestsOnShutdownAndThenRefusesConnections() throws {
    let server = Server(port: 0, router: liveRouter())
    let port = try server.start()
    let idle = try ClientConnection(port: port)
    let busy = try ClientConnection(port: port)
    busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
    usleep(50_000)
    let started = Date()
    let stopper = Thread { server.shutdown() }
    stopper.start()
    let response = try #require(try busy.readResponse())
    #expect(response.text == "slow" && response.headers["Connection"] == "close")
    #expect(try idle.isClosedByServer())
    server.wait()
    #expect(Date().timeIntervalSince(started) < 2)
    #expect(throws: ClientError.self) { _ = try ClientConnection(port: port) }
}

@Test func server_shutsDownCleanlyWhenNeverStartedAndReportsBindErrors() throws {
    Server(port: 0, router: Router()).shutdown()
    let first = Server(port: 0, router: Router())
    let port = try first.start()
    defer { first.shutdown() }
    #expect(throws: SocketError.failed(call: "bind", errno: EADDRINUSE)) {
        try Server(port: port, router: Router()).start()
    }
}
