// A live server on port 0 driven by raw sockets: keep-alive, pipelining, closing rules, HEAD, 100-continue,
// the limits and their JSON errors, and handlers that throw.
import Foundation
import Testing
@testable import HTTP

func liveRouter() -> Router {
    let router = Router()
    router.get("/hello") { _ in .json(["message": "hello"]) }
    // Inline: answered on the loop thread (and so every replay, pipelining and fuzz test covers both paths).
    router.get("/echo/:word", inline: true) { request in .text(request.pathParameters["word"] ?? "") }
    router.get("/thread", inline: true) { _ in .text(currentThreadName()) }
    router.get("/thread/worker") { _ in .text(currentThreadName()) }
    router.post("/echo") { request in Response(headers: ["Content-Type": "application/octet-stream"], body: request.body) }
    router.get("/boom") { _ in throw CocoaError(.fileReadCorruptFile) }
    router.get("/slow") { _ in
        usleep(300_000)
        return .text("slow")
    }
    return router
}

/// The kernel's name for the calling thread (the loop thread is "http.loop").
func currentThreadName() -> String {
    let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
    return comm.trimmingCharacters(in: .whitespacesAndNewlines)
}

@Test func server_answersSeveralRequestsOnOneKeepAliveConnection() throws {
    try withServer(liveRouter()) { _, port in
        let client = try ClientConnection(port: port)
        for word in ["one", "two", "three"] {
            client.send("GET /echo/\(word) HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try #require(try client.readResponse())
            #expect(response.status == 200 && response.text == word)
            #expect(response.headers["Connection"] == nil)
        }
    }
}

@Test func server_answersPipelinedRequestsInOrder() throws {
    try withServer(liveRouter()) { _, port in
        let client = try ClientConnection(port: port)
        let words = (0..<50).map { "w\($0)" }
        var batch = words.map { "GET /echo/\($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined()
        batch += "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nlast"
        client.send(batch)
        for word in words { #expect(try client.readResponse()?.text == word) }
        #expect(try client.readResponse()?.text == "last")
    }
}

@Test func server_closesAfterConnectionCloseAndAfterHTTP10() throws {
    try withServer(liveRouter()) { _, port in
        let closing = try ClientConnection(port: port)
        closing.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let response = try #require(try closing.readResponse())
        #expect(response.status == 200 && response.headers["Connection"] == "close")
        #expect(try closing.isClosedByServer())

        let old = try ClientConnection(port: port)
        old.send("GET /hello HTTP/1.0\r\n\r\n")
        #expect(try old.readResponse()?.headers["Connection"] == "close")
        #expect(try old.isClosedByServer())

        let oldKeepAlive = try ClientConnection(port: port)
        for _ in 0..<2 {
            oldKeepAlive.send("GET /echo/again HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let answer = try #require(try oldKeepAlive.readResponse())
            #expect(answer.text == "again" && answer.headers["Connection"] == "keep-alive")
        }
    }
}

@Test func server_answersHEADWithHeadersOnlyAndKeepsTheConnectionUsable() throws {
    try withServer(liveRouter()) { _, port in
        let client = try ClientConnection(port: port)
        client.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\nGET /echo/after HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try #require(try client.readResponse(headOnly: true))
        #expect(head.status == 200 && head.headers["Content-Length"] == "19")
        #expect(try client.readResponse()?.text == "after")
    }
}

@Test func server_sends100ContinueBeforeReadingTheBody() throws {
    try withServer(liveRouter()) { _, port in
        let client = try ClientConnection(port: port)
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        #expect(try client.readResponse()?.status == 100)
        client.send("abcde")
        let response = try #require(try client.readResponse())
        #expect(response.status == 200 && response.text == "abcde")
    }
}

@Test func server_decodesAChunkedUploadSentInPieces() throws {
    try withServer(liveRouter()) { _, port in
        let client = try ClientConnection(port: port)
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki")
        usleep(20_000)
        client.send("\r\n5\r\npedia\r\n0\r\n\r\n")
        #expect(try client.readResponse()?.text == "Wikipedia")
    }
}

struct LimitCase: Sendable, CustomTestStringConvertible {
    let request: String
    let status: Int
    let code: String
    var testDescription: String { "\(status) \(code)" }
}

let limitCases = [
    LimitCase(request: "GET / HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "a", count: 17 * 1024))\r\n\r\n",
              status: 431, code: "header_too_large"),
    LimitCase(request: "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2048\r\n\r\n", status: 413, code: "body_too_large"),
    LimitCase(request: "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n\(String(repeating: "z", count: 2048))\r\n0\r\n\r\n",
              status: 413, code: "body_too_large"),
    LimitCase(request: "GET /hello\r\n\r\n", status: 400, code: "invalid_request_line"),
    LimitCase(request: "GET /hello HTTP/2.0\r\nHost: t\r\n\r\n", status: 505, code: "http_version_not_supported"),
    LimitCase(request: "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc",
              status: 400, code: "ambiguous_length"),
    LimitCase(request: "GET /missing HTTP/1.1\r\nHost: t\r\n\r\n", status: 404, code: "not_found"),
    LimitCase(request: "DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n", status: 405, code: "method_not_allowed"),
    LimitCase(request: "GET /boom HTTP/1.1\r\nHost: t\r\n\r\n", status: 500, code: "internal_error"),
]

@Test(arguments: limitCases)
func server_answersBadAndOversizedRequestsWithJSONErrors(_ example: LimitCase) throws {
    var options = ServerOptions()
    options.maxBodyBytes = 1024
    try withServer(liveRouter(), options: options) { _, port in
        let client = try ClientConnection(port: port)
        client.send(example.request)
        let response = try #require(try client.readResponse())
        #expect(response.status == example.status)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.errorCode == example.code)
        if example.status == 405 { #expect(response.headers["Allow"] == "GET, HEAD, OPTIONS") }
        if [404, 405, 500].contains(example.status) {
            // Well-formed requests keep their connection, even when the handler failed.
            client.send("GET /echo/still HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse()?.text == "still")
        } else {
            #expect(response.headers["Connection"] == "close")
            #expect(try client.isClosedByServer())
        }
    }
}
