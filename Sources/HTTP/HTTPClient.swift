// The one small HTTP/1.1 client: a blocking request on a fresh connection (`Connection: close`) under one
// deadline, with an optional bearer token. `mnistd healthcheck` and the tests use it; a remote trainer
// reporting to the service would POST its JSON through it. Raw bytes go through `connect()`.
import Foundation

/// Where requests go (`http://host:port` plus an optional base path) and how long each may take.
public struct HTTPClient: Sendable {
    public let host: String
    public let port: Int
    /// Prefixed to every request path (`/api` of `http://host:8080/api`); empty for none.
    public let basePath: String
    /// Seconds for the whole exchange: resolve, connect, send, and read the response.
    public var timeout: Double
    /// Sent as `Authorization: Bearer <token>` unless a request sets Authorization itself.
    public var bearerToken: String?
    public var userAgent = "mnistd"

    /// `host`: a name or an address (IPv6 without brackets).
    public init(host: String, port: Int, basePath: String = "", timeout: Double = 30,
                bearerToken: String? = nil) {
        self.host = host
        self.port = port
        self.basePath = basePath
        self.timeout = timeout
        self.bearerToken = bearerToken
    }

    /// `http://host[:port][/base]`; the port defaults to 80. Throws `ClientError.invalidURL` otherwise.
    public init(url: String, timeout: Double = 30, bearerToken: String? = nil) throws {
        guard let parts = URLComponents(string: url), parts.scheme?.lowercased() == "http",
              let host = parts.host, !host.isEmpty, parts.query == nil, parts.fragment == nil,
              (1...65535).contains(parts.port ?? 80) else { throw ClientError.invalidURL(url) }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let base = parts.path.hasSuffix("/") ? String(parts.path.dropLast()) : parts.path
        self.init(host: bare, port: parts.port ?? 80, basePath: base, timeout: timeout, bearerToken: bearerToken)
    }

    public func get(_ path: String, headers: [String: String] = [:]) throws -> ClientResponse {
        try request("GET", path, headers: headers)
    }

    /// POSTs `json` (already encoded) as `application/json`.
    public func post(_ path: String, json: Data, headers: [String: String] = [:]) throws -> ClientResponse {
        try request("POST", path, headers: ["Content-Type": "application/json"].merging(headers) { $1 }, body: json)
    }

    /// One request on a new connection; reads the whole response (by Content-Length, chunked, or until close).
    public func request(_ method: String, _ path: String, headers: [String: String] = [:],
                        body: Data = Data()) throws -> ClientResponse {
        let connection = try connect()
        defer { connection.close() }
        var head = "\(method) \(basePath)\(path) HTTP/1.1\r\nHost: \(connection.peer)\r\nUser-Agent: \(userAgent)\r\n"
            + "Connection: close\r\n"
        let names = Set(headers.keys.map { $0.lowercased() })
        if let bearerToken, !names.contains("authorization") { head += "Authorization: Bearer \(bearerToken)\r\n" }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        if !names.contains("content-length") && (!body.isEmpty || ["POST", "PUT", "PATCH", "DELETE"].contains(method)) {
            head += "Content-Length: \(body.count)\r\n"
        }
        try connection.write(Array((head + "\r\n").utf8) + Array(body))
        guard let response = try connection.readResponse() else {
            throw ClientError.io(peer: connection.peer, reason: "closed without answering")
        }
        return response
    }

    /// A connection to send raw bytes on and read responses from, under this client's timeout as its deadline.
    public func connect() throws -> ClientConnection {
        try ClientConnection(host: host, port: port, timeout: timeout, deadline: Date().addingTimeInterval(timeout))
    }
}
