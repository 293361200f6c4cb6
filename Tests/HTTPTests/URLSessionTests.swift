// The server driven by a real client library: Foundation's URLSession (over libcurl on Linux).
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import HTTP

func fetch(_ request: URLRequest) throws -> (HTTPURLResponse, Data) {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: (HTTPURLResponse, Data)?
    nonisolated(unsafe) var failure: Error?
    URLSession.shared.dataTask(with: request) { data, response, error in
        if let response = response as? HTTPURLResponse { result = (response, data ?? Data()) }
        failure = error
        done.signal()
    }.resume()
    guard done.wait(timeout: .now() + 10) == .success else { throw URLError(.timedOut) }
    if let failure { throw failure }
    return try #require(result)
}

@Test func urlSession_getsJSONAndPostsABody() throws {
    let router = liveRouter()
    router.cors = CORS()
    try withServer(router) { _, port in
        let (hello, helloBody) = try fetch(URLRequest(url: URL(string: "http://127.0.0.1:\(port)/hello")!))
        #expect(hello.statusCode == 200)
        #expect(hello.value(forHTTPHeaderField: "Content-Type") == "application/json")
        #expect(try JSONSerialization.jsonObject(with: helloBody) as? [String: String] == ["message": "hello"])

        var post = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/echo")!)
        post.httpMethod = "POST"
        post.httpBody = Data((0..<100_000).map { UInt8($0 % 251) })
        let (echo, echoBody) = try fetch(post)
        #expect(echo.statusCode == 200 && echoBody == post.httpBody)

        var wrong = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/hello")!)
        wrong.httpMethod = "PUT"
        wrong.setValue("http://localhost:5173", forHTTPHeaderField: "Origin")
        let (refused, refusedBody) = try fetch(wrong)
        #expect(refused.statusCode == 405)
        #expect(refused.value(forHTTPHeaderField: "Allow") == "GET, HEAD, OPTIONS")
        #expect(refused.value(forHTTPHeaderField: "Access-Control-Allow-Origin") == "*")
        let error = try JSONSerialization.jsonObject(with: refusedBody) as? [String: [String: String]]
        #expect(error?["error"]?["code"] == "method_not_allowed")
    }
}
