// Header lookup ignores case, keeps order and duplicates, and reads comma-separated tokens.
import Testing
@testable import HTTP

@Test func headers_lookUpNamesIgnoringCase() {
    var headers: HTTPHeaders = ["Content-Type": "application/json"]
    #expect(headers["content-type"] == "application/json")
    #expect(headers["CONTENT-TYPE"] == "application/json")
    #expect(headers["Content-Typf"] == nil)
    headers["CONTENT-type"] = "text/plain"
    #expect(headers.count == 1 && headers["Content-Type"] == "text/plain")
    headers["content-type"] = nil
    #expect(headers.count == 0)
}

@Test func headers_keepDuplicatesInOrder() {
    var headers = HTTPHeaders()
    headers.add("Set-Cookie", "a=1")
    headers.add("X-Other", "x")
    headers.add("set-cookie", "b=2")
    #expect(headers.values(for: "SET-COOKIE") == ["a=1", "b=2"])
    #expect(headers.map(\.name) == ["Set-Cookie", "X-Other", "set-cookie"])
}

@Test func headers_findTokensInCommaSeparatedLists() {
    let headers: HTTPHeaders = ["Connection": "keep-alive,  Upgrade ", "Other": "close"]
    #expect(headers.hasToken("upgrade", in: "connection"))
    #expect(headers.hasToken("Keep-Alive", in: "Connection"))
    #expect(!headers.hasToken("close", in: "Connection"))
}

@Test func headers_compareOnlyLettersIgnoringCase() {
    #expect(HTTPHeaders.equalsIgnoringCase("X-A1", "x-a1"))
    // '@' (0x40) and '`' (0x60) differ by the case bit but are not letters.
    #expect(!HTTPHeaders.equalsIgnoringCase("@", "`"))
    #expect(!HTTPHeaders.equalsIgnoringCase("ab", "abc"))
}
