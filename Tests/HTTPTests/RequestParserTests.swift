// The parser against a table of requests, each replayed whole, one byte at a time and back-to-back,
// plus a table of malformed requests and the precise error each must raise.
import Foundation
import Testing
@testable import HTTP

/// A valid request and what the parser must make of it.
struct ParserCase: CustomTestStringConvertible, Sendable {
    let name: String
    let raw: String
    let method: String
    let path: String
    let body: String
    let headers: [String: String]
    var testDescription: String { name }

    init(_ name: String, _ raw: String, _ method: String, _ path: String, body: String = "", headers: [String: String] = [:]) {
        self.name = name
        self.raw = raw
        self.method = method
        self.path = path
        self.body = body
        self.headers = headers
    }
}

let validRequests: [ParserCase] = [
    ParserCase("simple GET", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET", "/", headers: ["host": "a"]),
    ParserCase("query and mixed-case names", "GET /jobs?state=running&limit=2 HTTP/1.1\r\nhOsT: x\r\nACCEPT: */*\r\n\r\n",
               "GET", "/jobs", headers: ["Host": "x", "accept": "*/*"]),
    ParserCase("Content-Length body", "POST /jobs HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n{\"a\": true}",
               "POST", "/jobs", body: "{\"a\": true}"),
    ParserCase("chunked body with extension and trailer",
               "POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;name=val\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n",
               "POST", "/u", body: "hello world"),
    ParserCase("uppercase hex chunk size", "PUT /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
               "PUT", "/x", body: "0123456789"),
    ParserCase("bare LF line endings", "GET /lf HTTP/1.1\nHost: a\n\n", "GET", "/lf"),
    ParserCase("leading empty lines", "\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n", "GET", "/after"),
    ParserCase("HTTP/1.0 without Host", "GET /old HTTP/1.0\r\n\r\n", "GET", "/old"),
    ParserCase("absolute-form target", "GET http://example.com/a/b?c=d HTTP/1.1\r\nHost: example.com\r\n\r\n", "GET", "/a/b"),
    ParserCase("absolute-form without a path", "GET http://example.com?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n", "GET", "/"),
    ParserCase("OWS around values", "GET / HTTP/1.1\r\nHost:   spaced \t\r\nX-Empty:\r\n\r\n", "GET", "/",
               headers: ["host": "spaced", "x-empty": ""]),
    ParserCase("identical Content-Length list", "POST /l HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc", "POST", "/l", body: "abc"),
    ParserCase("OPTIONS asterisk", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", "OPTIONS", "*"),
    ParserCase("HTTP/1.2 treated as 1.1", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", "GET", "/"),
    ParserCase("obs-text in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\u{e9}\r\n\r\n", "GET", "/", headers: ["x-name": "caf\u{e9}"]),
]

/// Feeds `bytes` in pieces of `step` and collects every request.
func parseAll(_ bytes: [UInt8], step: Int, limits: RequestParser.Limits = .init()) throws -> [Request] {
    var parser = RequestParser(limits: limits)
    var requests: [Request] = []
    var offset = 0
    while offset < bytes.count {
        parser.append(bytes[offset..<min(offset + step, bytes.count)])
        offset += step
        while let request = try parser.next() { requests.append(request) }
    }
    #expect(!parser.isMidRequest)
    return requests
}

func expectMatches(_ request: Request?, _ expected: ParserCase) {
    #expect(request?.method.rawValue == expected.method)
    #expect(request?.path == expected.path)
    #expect(request.map { String(decoding: $0.body, as: UTF8.self) } == expected.body)
    for (name, value) in expected.headers { #expect(request?.headers[name] == value, "header \(name)") }
}

@Test(arguments: validRequests)
func parser_decodesRequestFedWhole(_ example: ParserCase) throws {
    let requests = try parseAll(Array(example.raw.utf8), step: Int.max / 2)
    #expect(requests.count == 1)
    expectMatches(requests.first, example)
}

@Test(arguments: validRequests)
func parser_decodesRequestFedOneByteAtATime(_ example: ParserCase) throws {
    let requests = try parseAll(Array(example.raw.utf8), step: 1)
    #expect(requests.count == 1)
    expectMatches(requests.first, example)
}

@Test func parser_decodesEveryRequestFedBackToBackInOrder() throws {
    let stream = validRequests.flatMap { Array($0.raw.utf8) }
    for step in [1, 7, 64, stream.count] {
        let requests = try parseAll(stream, step: step)
        #expect(requests.count == validRequests.count, "step \(step)")
        for (request, expected) in zip(requests, validRequests) { expectMatches(request, expected) }
    }
}

@Test func parser_exposesQueryAndKeepAliveSemantics() throws {
    let raw = "GET /jobs?state=running&name=a%20b+c HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, close\r\n\r\n"
    let request = try #require(try parseAll(Array(raw.utf8), step: 3).first)
    #expect(request.query == ["state": "running", "name": "a b c"])
    #expect(request.keepAlive == false)
    let old = try #require(try parseAll(Array("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".utf8), step: 5).first)
    #expect(old.keepAlive == true)
    #expect(old.version == .http10)
    let plainOld = try #require(try parseAll(Array("GET / HTTP/1.0\r\n\r\n".utf8), step: 100).first)
    #expect(plainOld.keepAlive == false)
}

@Test func parser_asksForContinueOnceWhenTheBodyIsAwaited() throws {
    var parser = RequestParser()
    parser.append("POST /u HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n".utf8)
    #expect(try parser.next() == nil)
    let first = parser.shouldSendContinue(), second = parser.shouldSendContinue()
    #expect(first && !second)
    parser.append("body".utf8)
    #expect(try parser.next()?.body == Data("body".utf8))
}
