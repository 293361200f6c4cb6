// Requests built in-process: target splitting, query and percent-decoding.
import Testing
@testable import HTTP

@Test func request_splitsTheTargetIntoPathAndQuery() {
    let request = Request(method: .get, target: "/jobs/a%20b/history?since=10&x=%E2%9C%93&flag")
    #expect(request.path == "/jobs/a%20b/history")
    #expect(request.queryString == "since=10&x=%E2%9C%93&flag")
    #expect(request.query == ["since": "10", "x": "\u{2713}", "flag": ""])
    #expect(Request(method: .get, target: "/plain").queryString == nil)
}

@Test func percentDecode_rejectsMalformedEscapesAndInvalidUTF8() {
    #expect(Request.percentDecode("a%2Fb") == "a/b")
    #expect(Request.percentDecode("100%") == nil)
    #expect(Request.percentDecode("%zz") == nil)
    #expect(Request.percentDecode("%FF") == nil)
    #expect(Request.percentDecode("a+b") == "a+b")
    #expect(Request.percentDecode("a+b", plusIsSpace: true) == "a b")
}

@Test func query_keepsTheLastOfRepeatedNamesAndSkipsEmptyNames() {
    #expect(Request.parseQuery("a=1&a=2&=x&&b=") == ["a": "2", "b": ""])
}
