// Malformed and oversized requests: each must raise its precise ParseError, fed whole or byte by byte.
import Testing
@testable import HTTP

struct BadCase: CustomTestStringConvertible, Sendable {
    let raw: String
    let error: ParseError
    var testDescription: String { "\(error)" }
    init(_ raw: String, _ error: ParseError) { self.raw = raw; self.error = error }
}

let smallLimits = RequestParser.Limits(maxHeaderBytes: 256, maxBodyBytes: 64)

let badRequests: [BadCase] = [
    BadCase("GET /\r\nHost: a\r\n\r\n", .invalidRequestLine),
    BadCase("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
    BadCase("GET / HTTP/1.1 extra\r\nHost: a\r\n\r\n", .invalidRequestLine),
    BadCase("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod),
    BadCase("GET nopath HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    BadCase("GET * HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    BadCase("GET /\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    BadCase("GET / HTTP/1\r\nHost: a\r\n\r\n", .invalidVersion),
    BadCase("GET / HTTX/1.1\r\nHost: a\r\n\r\n", .invalidVersion),
    BadCase("GET / HTTP/2.0\r\nHost: a\r\n\r\n", .unsupportedVersion(major: 2, minor: 0)),
    BadCase("GET / HTTP/0.9\r\nHost: a\r\n\r\n", .unsupportedVersion(major: 0, minor: 9)),
    BadCase("GET / HTTP/1.1\r\nHost : a\r\n\r\n", .invalidHeaderName),
    BadCase("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", .invalidHeaderName),
    BadCase("GET / HTTP/1.1\r\nHost: a\r\n: empty\r\n\r\n", .invalidHeaderName),
    BadCase("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{01}b\r\n\r\n", .invalidHeaderValue),
    BadCase("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n folded\r\n\r\n", .obsoleteLineFolding),
    BadCase("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", .bareCarriageReturn),
    BadCase("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", .missingHost),
    BadCase("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .multipleHosts),
    BadCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", .invalidContentLength),
    BadCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", .invalidContentLength),
    BadCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", .invalidContentLength),
    BadCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", .invalidContentLength),
    BadCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", .contentLengthWithTransferEncoding),
    BadCase("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .transferEncodingInHTTP10),
    BadCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", .chunkedNotFinal),
    BadCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferCoding("gzip")),
    BadCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .invalidChunkSize),
    BadCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", .invalidChunkSize),
    BadCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", .invalidChunkTerminator),
    BadCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 65\r\n\r\n", .bodyTooLarge(limit: 64)),
    BadCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" + String(repeating: "x", count: 64)
            + "\r\n1\r\n", .bodyTooLarge(limit: 64)),
    BadCase("GET /" + String(repeating: "a", count: 300) + " HTTP/1.1\r\n\r\n", .requestLineTooLong(limit: 256)),
    BadCase("GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 300) + "\r\n\r\n", .headerTooLarge(limit: 256)),
]

@Test(arguments: badRequests)
func parser_rejectsMalformedRequestFedWhole(_ example: BadCase) {
    #expect(throws: example.error) { try parseAll(Array(example.raw.utf8), step: Int.max / 2, limits: smallLimits) }
}

@Test(arguments: badRequests)
func parser_rejectsMalformedRequestFedOneByteAtATime(_ example: BadCase) {
    #expect(throws: example.error) { try parseAll(Array(example.raw.utf8), step: 1, limits: smallLimits) }
}

@Test func parser_staysFailedAfterAnError() {
    var parser = RequestParser()
    parser.append("BAD\r\n\r\n".utf8)
    #expect(throws: ParseError.invalidRequestLine) { _ = try parser.next() }
    parser.append("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
    #expect(throws: ParseError.invalidRequestLine) { _ = try parser.next() }
}

@Test func parseError_mapsToTheStatusTheBriefNames() {
    #expect(ParseError.headerTooLarge(limit: 1).httpError.status == 431)
    #expect(ParseError.bodyTooLarge(limit: 1).httpError.status == 413)
    #expect(ParseError.invalidRequestLine.httpError.status == 400)
    #expect(ParseError.unsupportedVersion(major: 2, minor: 0).httpError.status == 505)
    #expect(ParseError.contentLengthWithTransferEncoding.httpError.status == 400)
    #expect(ParseError.unsupportedTransferCoding("gzip").httpError.status == 501)
    #expect(ParseError.requestLineTooLong(limit: 1).httpError.status == 414)
}
