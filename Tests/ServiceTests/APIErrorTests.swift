// APIError: one JSON shape for every error, with the status and Retry-After the HTTP layer needs.
import Foundation
import Testing
@testable import Service

@Test func jsonObject_namesTheFieldOfAnInvalidConfig() throws {
    let error = APIError.invalidConfig(field: "training.epochs", message: "epochs must be in 1...1000, got 0")
    #expect(error.status == 400)
    let parsed = try JSONValue(parsing: error.body)
    #expect(parsed == ["error": ["code": "invalid_config", "message": "epochs must be in 1...1000, got 0", "field": "training.epochs"]])
}

@Test func jsonObject_omitsTheFieldWhenThereIsNone() {
    #expect(APIError.notFound("job", id: "job_1").body == Data(#"{"error":{"code":"not_found","message":"no job with id 'job_1'"}}"#.utf8))
}

@Test func queueFull_is429WithRetryAfter() {
    let error = APIError.queueFull(capacity: 64, retryAfter: 5)
    #expect(error.status == 429)
    #expect(error.code == "queue_full")
    #expect(error.headers.count == 1)
    #expect(error.headers.first?.0 == "Retry-After" && error.headers.first?.1 == "5")
    #expect(error.message == "the job queue is full (at most 64 jobs wait); retry later")
    // An experiment's three jobs with two places left: the message says so instead of "full".
    let partial = APIError.queueFull(capacity: 16, retryAfter: 5, needed: 3, room: 2)
    #expect(partial.message == "the job queue has room for 2 more job(s) (at most 16 wait) but this request needs 3; retry later")
}

@Test func statuses_coverTheClientAndServerErrors() {
    let statuses = [APIError.unauthorized.status, APIError.conflict("running").status, APIError.payloadTooLarge(limit: 10).status,
                    APIError.unsupportedMediaType("text/plain", accepted: ImageDecoder.mediaTypes).status,
                    APIError.invalidImage(.badSignature).status, APIError.unavailable("dataset not loaded").status,
                    APIError.internalError("x").status, APIError.methodNotAllowed(method: "PUT", path: "/jobs").status]
    #expect(statuses == [401, 409, 413, 415, 400, 503, 500, 405])
    #expect(APIError.invalidImage(.wrongSize(width: 32, height: 32)).message == "wrong image size: got 32×32, need 28×28")
}
