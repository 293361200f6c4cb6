// APIError as an HTTP answer, and the mapping of every other error a handler can meet onto it.
import Engine
import Foundation
import HTTP

extension APIError {
    /// The JSON error response with `Retry-After` when set.
    public var response: Response {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        for (name, value) in self.headers { headers[name] = value }
        return Response(status: status, headers: headers, body: body)
    }

    /// Any error as the API's error: request fields that do not read and config errors name their field, the rest
    /// is a 500 that says what failed.
    public init(_ error: Error) {
        switch error {
        case let error as APIError: self = error
        case let error as JSONReadError: self = .invalidRequest(error.description, field: error.field)
        case let error as ConfigError:
            self = error.field.isEmpty ? .invalidJSON(error.message) : .invalidConfig(field: error.field, message: error.message)
        case let error as HTTPError:
            self.init(status: error.status, code: error.code, message: error.message, field: error.field)
        case let error as QueueError: self = error.apiError
        case let error as ImageError: self = .invalidImage(error)
        case StoreError.corruptModel:
            self.init(status: 500, code: "model_corrupt", message: "\(error)")
        default: self = .internalError("\(error)")
        }
    }
}
