// The service tests speak to a real TrainingService through the HTTP target's client, over a real socket,
// the same bytes a curl user sends; these are the JSONValue conveniences they share.
import Foundation
import HTTP
@testable import Service

typealias HTTPResponse = ClientResponse

extension HTTPClient {
    /// A client of the local service on `port`, patient enough for a loaded test machine.
    init(port: Int) { self.init(host: "127.0.0.1", port: port, timeout: 120) }

    func post(_ path: String, json: JSONValue, headers: [String: String] = [:]) throws -> ClientResponse {
        try post(path, json: json.data, headers: headers)
    }

    func post(_ path: String, raw: String, headers: [String: String] = [:]) throws -> ClientResponse {
        try post(path, json: Data(raw.utf8), headers: headers)
    }

    func send(_ method: String, _ path: String, body: Data = Data(), headers: [String: String] = [:]) throws -> ClientResponse {
        try request(method, path, headers: headers, body: body)
    }
}

extension ClientResponse {
    var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
}
