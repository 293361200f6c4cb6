// HTTPError renders the project's JSON error shape with its status and headers.
import Foundation
import Testing
@testable import HTTP

@Test func httpError_rendersTheProjectErrorShape() throws {
    let response = HTTPError.badRequest("invalid_config", "epochs must be positive", field: "training.epochs").response
    #expect(response.status == 400)
    #expect(response.headers["Content-Type"] == "application/json")
    let object = try JSONSerialization.jsonObject(with: try #require(response.bodyData)) as? [String: [String: String]]
    #expect(object == ["error": ["code": "invalid_config", "message": "epochs must be positive", "field": "training.epochs"]])
}

@Test func httpError_omitsFieldWhenAbsentAndCarriesHeaders() throws {
    let response = HTTPError(429, code: "queue_full", message: "later", headers: ["Retry-After": "5"]).response
    #expect(response.status == 429 && response.headers["Retry-After"] == "5")
    #expect(bodyText(response) == "{\"error\":{\"code\":\"queue_full\",\"message\":\"later\"}}")
}
