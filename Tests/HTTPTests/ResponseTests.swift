// Responses on the wire: framing headers, HEAD, bodiless statuses, keep-alive, header injection, chunks.
import Foundation
import Testing
@testable import HTTP

func wireText(_ response: Response, method: HTTPMethod = .get, keepAlive: Bool = true, version: HTTPVersion = .http11) -> String {
    String(decoding: response.wire(for: method, keepAlive: keepAlive, version: version), as: UTF8.self)
}

@Test func response_isFramedWithContentLengthAndDate() {
    let text = wireText(.json(["a": 1]))
    #expect(text.hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\nDate: "))
    #expect(text.hasSuffix(" GMT\r\n\r\n{\"a\":1}"))
    #expect(!text.contains("Connection:"))
}

@Test func response_toHEADHasTheLengthButNoBody() {
    let text = wireText(.text("hello"), method: .head)
    #expect(text.contains("Content-Length: 5\r\n"))
    #expect(text.hasSuffix("\r\n\r\n"))
}

@Test func response_204CarriesNoLengthAndNoBody() {
    let text = wireText(Response(status: 204, body: Data("ignored".utf8)))
    #expect(text.hasPrefix("HTTP/1.1 204 No Content\r\n"))
    #expect(!text.contains("Content-Length") && text.hasSuffix("\r\n\r\n"))
}

@Test func response_saysWhetherTheConnectionStays() {
    #expect(wireText(.text("x"), keepAlive: false).contains("Connection: close\r\n"))
    #expect(wireText(.text("x"), version: .http10).contains("Connection: keep-alive\r\n"))
}

@Test func response_replacesHandlerFramingAndNeutralisesHeaderInjection() {
    let response = Response(headers: ["Content-Length": "999", "X-Evil": "a\r\nSet-Cookie: b"], body: Data("ok".utf8))
    let text = wireText(response)
    #expect(text.contains("Content-Length: 2\r\n") && !text.contains("999"))
    #expect(text.contains("X-Evil: a  Set-Cookie: b\r\n"))
}

@Test func response_streamHeadIsChunkedOnHTTP11AndCloseDelimitedOnHTTP10() {
    let stream = Response.eventStream { _ in }
    let head11 = String(decoding: stream.head(contentLength: nil, keepAlive: false, version: .http11), as: UTF8.self)
    #expect(head11.contains("Content-Type: text/event-stream\r\n") && head11.contains("Transfer-Encoding: chunked\r\n"))
    let head10 = String(decoding: stream.head(contentLength: nil, keepAlive: false, version: .http10), as: UTF8.self)
    #expect(!head10.contains("Transfer-Encoding"))
    #expect(String(decoding: Response.chunk(Data(repeating: 65, count: 26)), as: UTF8.self) == "1a\r\n" + String(repeating: "A", count: 26) + "\r\n")
}

@Test func response_jsonEncodesEncodableAndJSONSerializationObjects() throws {
    struct Job: Encodable { let id: String; let url: String }
    #expect(bodyText(.json(Job(id: "j1", url: "/jobs/j1"))) == "{\"id\":\"j1\",\"url\":\"/jobs/j1\"}")
    let mixed: [String: Any] = ["n": 2, "s": "x"]
    let decoded = try JSONSerialization.jsonObject(with: try #require(Response.json(mixed, status: 202).bodyData)) as? [String: Any]
    #expect(decoded?["n"] as? Int == 2 && decoded?["s"] as? String == "x")
    #expect(Response.json(mixed, status: 202).status == 202)
    #expect(Response.json(Double.nan as Any).status == 500)
}

@Test func httpDate_formatsIMFFixdate() {
    #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
}
