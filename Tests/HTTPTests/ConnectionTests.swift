// The connection state machine over a socketpair (no port), and its timeouts against slow and idle clients.
import Foundation
import Glibc
import Testing
@testable import HTTP

@Test func connection_servesRequestsOverASocketPair() throws {
    let server = Server(port: 0, router: liveRouter())
    _ = try server.start()
    defer { server.shutdown() }
    let (ours, theirs) = try Socket.pair()
    server.adopt(ours, remoteAddress: "socketpair")
    let client = ClientConnection(fd: theirs.fd)
    client.send("GET /echo/paired HTTP/1.1\r\nHost: t\r\n\r\n")
    #expect(try client.readResponse()?.text == "paired")
    client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nConnection: close\r\n\r\nxyz")
    #expect(try client.readResponse()?.text == "xyz")
    #expect(try client.isClosedByServer())
}

@Test func connection_timesOutASlowlorisClientWith408WhileOthersAreServed() throws {
    var options = ServerOptions()
    options.requestTimeout = 0.5
    try withServer(liveRouter(), options: options) { _, port in
        let slow = try ClientConnection(port: port)
        let started = Date()
        let header = Array("GET /hello HTTP/1.1\r\nHost: t\r\nX-Slow: ".utf8)
        var sent = 0
        // One byte every 50 ms never completes the head; every byte is progress, yet the deadline holds.
        while Date().timeIntervalSince(started) < 2, !slow.isReadable(within: 0.05) {
            slow.send([sent < header.count ? header[sent] : UInt8(ascii: "a")])
            sent += 1
            // Meanwhile another client is answered at once.
            if sent == 3 {
                let other = try ClientConnection(port: port)
                let asked = Date()
                other.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try other.readResponse()?.status == 200)
                #expect(Date().timeIntervalSince(asked) < 0.4)
            }
        }
        let response = try #require(try slow.readResponse())
        #expect(response.status == 408 && response.errorCode == "request_timeout")
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed > 0.45 && elapsed < 1.5, "closed after \(elapsed) s")
    }
}

@Test func connection_closesIdleKeepAliveConnections() throws {
    var options = ServerOptions()
    options.idleTimeout = 0.3
    try withServer(liveRouter(), options: options) { server, port in
        let client = try ClientConnection(port: port)
        client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.readResponse()?.status == 200)
        let idleSince = Date()
        #expect(try client.isClosedByServer())
        let idle = Date().timeIntervalSince(idleSince)
        #expect(idle > 0.25 && idle < 1.0, "closed after \(idle) s")
        // The client sees the close a moment before the server forgets the connection.
        let deadline = Date().addingTimeInterval(1)
        while server.connectionCount > 0 && Date() < deadline { usleep(5_000) }
        #expect(server.connectionCount == 0)
    }
}

@Test func connection_dropsAClientThatStopsReadingAStreamedReply() throws {
    var options = ServerOptions()
    options.writeTimeout = 0.3
    let router = Router()
    let big = Data(repeating: 120, count: 32 * 1024 * 1024)
    router.get("/big") { _ in Response(body: big) }
    try withServer(router, options: options) { server, port in
        let client = try ClientConnection(port: port)
        client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
        defer { withExtendedLifetime(client) {} }  // open but silent, not closed early by the optimiser
        // Never read: the server's writes stall, and the write timeout closes the connection.
        let deadline = Date().addingTimeInterval(3)
        while server.connectionCount > 0 && Date() < deadline { usleep(20_000) }
        #expect(server.connectionCount == 0)
    }
}
