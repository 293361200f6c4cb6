// Server-sent events over a live connection: events arrive as they are sent, the stream ends cleanly,
// and the handler learns when the client goes away.
import Foundation
import Testing
@testable import HTTP

@Test func stream_deliversEventsOverTimeThenEnds() throws {
    let router = Router()
    router.get("/events") { _ in
        .eventStream { stream in
            DispatchQueue.global().async {
                for step in 1...3 {
                    stream.send("{\"step\": \(step)}", event: "progress", id: String(step))
                    usleep(30_000)
                }
                stream.close()
            }
        }
    }
    try withServer(router) { _, port in
        let client = try ClientConnection(port: port)
        client.send("GET /events HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n")
        let head = try #require(try client.readStreamHead())
        #expect(head.status == 200)
        #expect(head.headers["Content-Type"] == "text/event-stream")
        #expect(head.headers["Transfer-Encoding"] == "chunked")
        var events: [String] = []
        var arrivals: [Date] = []
        while let chunk = try client.readChunk() {
            events.append(String(decoding: chunk, as: UTF8.self))
            arrivals.append(Date())
        }
        #expect(events == (1...3).map { "id: \($0)\nevent: progress\ndata: {\"step\": \($0)}\n\n" })
        // Sent 30 ms apart, so they were not buffered until the end.
        #expect(arrivals.count == 3 && arrivals[2].timeIntervalSince(arrivals[0]) > 0.04)
        #expect(try client.isClosedByServer())
    }
}

@Test func stream_tellsTheHandlerWhenTheClientGoesAway() throws {
    let router = Router()
    let gone = DispatchSemaphore(value: 0)
    let opened = DispatchSemaphore(value: 0)
    let keeper = StreamKeeper()
    router.get("/events") { _ in
        .eventStream { stream in
            keeper.stream = stream
            stream.onClose { gone.signal() }
            stream.comment("open")
            opened.signal()
        }
    }
    try withServer(router) { server, port in
        var client: ClientConnection? = try ClientConnection(port: port)
        client?.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(opened.wait(timeout: .now() + 2) == .success)
        #expect(try client?.readStreamHead()?.status == 200)
        client = nil  // closes the socket
        #expect(gone.wait(timeout: .now() + 2) == .success)
        #expect(keeper.stream?.isOpen == false)
        #expect(keeper.stream?.send("anyone?") == false)
        let deadline = Date().addingTimeInterval(2)
        while server.connectionCount > 0 && Date() < deadline { usleep(10_000) }
        #expect(server.connectionCount == 0)
    }
}

@Test func stream_endsOpenStreamsOnShutdown() throws {
    let router = Router()
    let closed = DispatchSemaphore(value: 0)
    router.get("/events") { _ in
        .eventStream { stream in stream.onClose { closed.signal() } }
    }
    let server = Server(port: 0, router: router)
    let port = try server.start()
    let client = try ClientConnection(port: port)
    client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
    #expect(try client.readStreamHead()?.status == 200)
    let started = Date()
    server.shutdown()
    #expect(closed.wait(timeout: .now() + 1) == .success)
    #expect(try client.readChunk() == nil)  // the last chunk arrived
    #expect(Date().timeIntervalSince(started) < 2)
}

final class StreamKeeper: @unchecked Sendable {
    var stream: EventStream?
}
