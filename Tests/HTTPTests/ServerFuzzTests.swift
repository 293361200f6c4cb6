// 10,000 random and mutated requests against a live server: every answer is a well-formed HTTP/1.1
// response with an expected status, valid requests get their 200, no connection leaks, and the server
// still answers afterwards.
import Foundation
import Testing
@testable import HTTP
import TestSupport

enum Fuzz {
    static let token = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_".utf8)

    static func word(_ rng: inout SplitMix64, _ length: ClosedRange<Int>) -> String {
        String(decoding: (0..<Int.random(in: length, using: &rng)).map { _ in token.randomElement(using: &rng)! }, as: UTF8.self)
    }

    /// A valid request and the status it must get.
    static func valid(_ rng: inout SplitMix64) -> (bytes: [UInt8], status: Int) {
        let headers = (0..<Int.random(in: 0...5, using: &rng)).map { _ in "X-\(word(&rng, 1...12)): \(word(&rng, 0...40))\r\n" }.joined()
        switch Int.random(in: 0..<5, using: &rng) {
        case 0:
            return (Array("GET /hello HTTP/1.1\r\nHost: f\r\n\(headers)\r\n".utf8), 200)
        case 1:
            return (Array("GET /echo/\(word(&rng, 1...20))?q=\(word(&rng, 0...9)) HTTP/1.1\r\nHost: f\r\n\(headers)\r\n".utf8), 200)
        case 2:
            let body = word(&rng, 0...300)
            return (Array("POST /echo HTTP/1.1\r\nHost: f\r\nContent-Length: \(body.utf8.count)\r\n\(headers)\r\n\(body)".utf8), 200)
        case 3:
            let parts = (0..<Int.random(in: 1...4, using: &rng)).map { _ in word(&rng, 1...50) }
            let chunks = parts.map { String($0.utf8.count, radix: 16) + "\r\n" + $0 + "\r\n" }.joined()
            return (Array("POST /echo HTTP/1.1\r\nHost: f\r\nTransfer-Encoding: chunked\r\n\(headers)\r\n\(chunks)0\r\n\r\n".utf8), 200)
        default:
            let method = ["PUT", "DELETE", "PATCH", "BREW"].randomElement(using: &rng)!
            return (Array("\(method) /hello HTTP/1.1\r\nHost: f\r\n\(headers)\r\n".utf8), 405)
        }
    }

    /// A valid request broken in one of several ways, or plain garbage.
    static func mutated(_ rng: inout SplitMix64) -> [UInt8] {
        var bytes = valid(&rng).bytes
        for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...20, using: &rng)))
            case 2: bytes.insert(contentsOf: (0..<Int.random(in: 1...10, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            case 3: bytes = Array(bytes[0..<at])
            case 4: bytes.insert(contentsOf: Array("Content-Length: 5\r\n".utf8), at: at)
            case 5: bytes.insert(contentsOf: Array("\r\n".utf8), at: at)
            case 6: bytes.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "a"), count: 17_000), at: at)
            default: bytes = (0..<Int.random(in: 1...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
        }
        return bytes
    }
}

@Test func server_survivesTenThousandRandomAndMutatedRequests() throws {
    let expected: Set<Int> = [200, 400, 404, 405, 408, 413, 414, 431, 500, 501, 505]
    try withServer(liveRouter()) { server, port in
        let failures = OrderLog()
        let counts = OrderLog()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            var rng = SplitMix64(seed: UInt64(worker) &* 7919 &+ 1)
            var answered = 0
            for index in 0..<2_500 {
                let isValid = index % 3 == 0
                let (bytes, status) = isValid ? Fuzz.valid(&rng) : (Fuzz.mutated(&rng), 0)
                do {
                    let client = try ClientConnection(port: port, timeout: 5)
                    client.send(bytes)
                    client.shutdownWrite()
                    var first = true
                    while let response = try client.readResponse() {
                        answered += 1
                        if !expected.contains(response.status) { failures.append("status \(response.status) for \(bytes.prefix(80))") }
                        if first && isValid && response.status != status {
                            failures.append("valid request got \(response.status), not \(status): \(String(decoding: bytes.prefix(80), as: UTF8.self))")
                        }
                        if response.status >= 400 && response.errorCode == nil { failures.append("non-JSON error \(response.status)") }
                        first = false
                    }
                    if isValid && first { failures.append("no answer to a valid request") }
                } catch {
                    failures.append("worker \(worker) case \(index): \(error) for \(String(decoding: bytes.prefix(80), as: UTF8.self))")
                }
            }
            counts.append("\(answered)")
        }
        #expect(failures.entries.isEmpty, "\(failures.entries.prefix(5))")
        #expect(counts.entries.compactMap(Int.init).reduce(0, +) > 5_000)
        let deadline = Date().addingTimeInterval(3)
        while server.connectionCount > 0 && Date() < deadline { usleep(10_000) }
        #expect(server.connectionCount == 0)
        let after = try ClientConnection(port: port)
        after.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try after.readResponse()?.status == 200)
    }
}
