// The HTTP tests drive the server through the HTTP target's client connection: raw (even malformed)
// bytes out, responses read back by its own decoder, which shares no parsing code with the server.
import Foundation
@testable import HTTP

extension ClientConnection {
    /// Connects to 127.0.0.1:`port`; each read waits at most `timeout` seconds.
    convenience init(port: Int, timeout: Double = 5) throws {
        try self.init(host: "127.0.0.1", port: port, timeout: timeout)
    }

    /// Writes as much as the server takes: a server that closes early is what some tests check, not an error.
    func send(_ text: String) { try? write(text) }
    func send(_ bytes: [UInt8]) { try? write(bytes) }

    /// The head of a streamed response, leaving its body to `readChunk()`.
    func readStreamHead() throws -> ClientResponse? { try readResponse(headOnly: true) }
}

extension ClientResponse {
    /// `error.code` of a JSON error body.
    var errorCode: String? {
        let object = try? JSONSerialization.jsonObject(with: body) as? [String: [String: Any]]
        return object?["error"]?["code"] as? String
    }
}

/// Runs `body` against a started server on a free port, then shuts it down.
func withServer(_ router: Router, options: ServerOptions = ServerOptions(), _ body: (Server, Int) throws -> Void) throws {
    let server = Server(host: "127.0.0.1", port: 0, router: router, options: options)
    let port = try server.start()
    defer { server.shutdown() }
    try body(server, port)
}
