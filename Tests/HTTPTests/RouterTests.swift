// The router in-process: parameters, precedence, 404, 405 with Allow, HEAD, OPTIONS, CORS, middleware, errors.
import Foundation
import Testing
@testable import HTTP

/// The decoded JSON error body of a response.
func errorBody(_ response: Response) throws -> [String: String] {
    let object = try JSONSerialization.jsonObject(with: try #require(response.bodyData)) as? [String: Any]
    return try #require(object?["error"] as? [String: String])
}

func bodyText(_ response: Response) -> String {
    String(decoding: response.bodyData ?? Data(), as: UTF8.self)
}

func sampleRouter() -> Router {
    let router = Router()
    router.get("/jobs") { _ in .text("list") }
    router.post("/jobs") { request in .text("created \(request.body.count)", status: 201) }
    router.get("/jobs/:id") { request in .text("job \(request.pathParameters["id"] ?? "?")") }
    router.get("/jobs/:id/history") { request in
        .text("history \(request.pathParameters["id"] ?? "?") since \(request.query["since"] ?? "0")")
    }
    router.delete("/jobs/:id") { _ in Response(status: 204) }
    router.get("/models/import") { _ in .text("literal wins") }
    router.get("/models/:id") { request in .text("model \(request.pathParameters["id"] ?? "?")") }
    router.get("/fail") { _ in throw HTTPError(409, code: "conflict", message: "busy", field: "name") }
    router.get("/crash") { _ in throw CocoaError(.fileNoSuchFile) }
    return router
}

@Test func router_matchesPathParametersAndDecodesThem() {
    let router = sampleRouter()
    #expect(bodyText(router.handle(Request(method: .get, target: "/jobs/abc"))) == "job abc")
    #expect(bodyText(router.handle(Request(method: .get, target: "/jobs/a%20b/history?since=7"))) == "history a b since 7")
    #expect(bodyText(router.handle(Request(method: .get, target: "/jobs/"))) == "list")
    #expect(router.handle(Request(method: .post, target: "/jobs", body: Data("xyz".utf8))).status == 201)
}

@Test func router_prefersLiteralSegmentsOverParameters() {
    let router = sampleRouter()
    #expect(bodyText(router.handle(Request(method: .get, target: "/models/import"))) == "literal wins")
    #expect(bodyText(router.handle(Request(method: .get, target: "/models/m1"))) == "model m1")
}

@Test func router_aLiteralPathAllowsOnlyItsOwnMethods() throws {
    let router = sampleRouter()
    router.post("/jobs/compare") { _ in .text("compared") }
    let options = router.handle(Request(method: .options, target: "/jobs/compare"))
    #expect(options.status == 204 && options.headers["Allow"] == "POST, OPTIONS")
    let get = router.handle(Request(method: .get, target: "/jobs/compare"))
    #expect(get.status == 405 && get.headers["Allow"] == "POST, OPTIONS")
    #expect(bodyText(router.handle(Request(method: .post, target: "/jobs/compare"))) == "compared")
    #expect(bodyText(router.handle(Request(method: .get, target: "/jobs/other"))) == "job other")
}

@Test func router_answers404AsJSONForUnknownPaths() throws {
    let response = sampleRouter().handle(Request(method: .get, target: "/nope/x"))
    #expect(response.status == 404)
    #expect(response.headers["Content-Type"] == "application/json")
    #expect(try errorBody(response)["code"] == "not_found")
}

@Test func router_answers405WithAllowForAKnownPathAndWrongMethod() throws {
    let response = sampleRouter().handle(Request(method: .put, target: "/jobs/abc"))
    #expect(response.status == 405)
    #expect(response.headers["Allow"] == "GET, HEAD, DELETE, OPTIONS")
    #expect(try errorBody(response)["code"] == "method_not_allowed")
}

@Test func router_runsGETHandlersForHEAD() {
    let response = sampleRouter().handle(Request(method: .head, target: "/jobs/1"))
    #expect(response.status == 200 && bodyText(response) == "job 1")
}

@Test func router_tellsWhichRequestsMayRunOnTheLoopThread() {
    let router = Router()
    router.get("/quick", inline: true) { _ in .text("quick") }
    router.get("/jobs/:id", inline: true) { _ in .text("job") }
    router.get("/jobs/:id/history") { _ in .text("history") }
    router.post("/jobs") { _ in .text("created") }
    router.add(.head, "/quick/head") { _ in Response(status: 200) }
    router.get("/quick/head", inline: true) { _ in .text("get") }
    func inline(_ method: HTTPMethod, _ path: String) -> Bool { router.runsInline(Request(method: method, target: path)) }
    #expect(inline(.get, "/quick") && inline(.head, "/quick") && inline(.get, "/jobs/7"))
    #expect(!inline(.get, "/jobs/7/history") && !inline(.post, "/jobs"))
    // A HEAD route of its own decides for HEAD, not the inline GET beside it.
    #expect(!inline(.head, "/quick/head") && inline(.get, "/quick/head"))
    // The router's own answers (404, 405, OPTIONS, a bad escape) never wait.
    #expect(inline(.get, "/nowhere") && inline(.delete, "/jobs") && inline(.options, "/jobs") && inline(.get, "/%zz"))
    // Files in memory are served inline, files on disk are not.
    router.files("/mem", StaticFiles(files: ["a.txt": Data("a".utf8)]))
    router.files("/disk", StaticFiles(directory: "/tmp"))
    #expect(inline(.get, "/mem/a.txt") && !inline(.get, "/disk/a.txt"))
}

@Test func router_rendersThrownErrorsAsJSON() throws {
    let router = sampleRouter()
    let conflict = router.handle(Request(method: .get, target: "/fail"))
    #expect(conflict.status == 409)
    #expect(try errorBody(conflict) == ["code": "conflict", "message": "busy", "field": "name"])
    let crash = router.handle(Request(method: .get, target: "/crash"))
    #expect(crash.status == 500)
    #expect(try errorBody(crash)["code"] == "internal_error")
    let badEscape = router.handle(Request(method: .get, target: "/jobs/%zz"))
    #expect(badEscape.status == 400)
}

@Test func router_answersOptionsWithAllowAndCORSPreflight() {
    let router = sampleRouter()
    let plain = router.handle(Request(method: .options, target: "/jobs"))
    #expect(plain.status == 204 && plain.headers["Allow"] == "GET, HEAD, POST, OPTIONS")
    #expect(plain.headers["Access-Control-Allow-Origin"] == nil)

    router.cors = CORS()
    let preflight = router.handle(Request(method: .options, target: "/jobs/1", headers: [
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "DELETE",
        "Access-Control-Request-Headers": "content-type, authorization",
    ]))
    #expect(preflight.status == 204)
    #expect(preflight.headers["Access-Control-Allow-Origin"] == "*")
    #expect(preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD, DELETE, OPTIONS")
    #expect(preflight.headers["Access-Control-Allow-Headers"] == "content-type, authorization")
    #expect(preflight.headers["Access-Control-Max-Age"] == "600")

    let simple = router.handle(Request(method: .get, target: "/jobs", headers: ["Origin": "http://x"]))
    #expect(simple.headers["Access-Control-Allow-Origin"] == "*")
    #expect(simple.headers["Access-Control-Expose-Headers"] == "Location, Retry-After")
    let noOrigin = router.handle(Request(method: .get, target: "/jobs"))
    #expect(noOrigin.headers["Access-Control-Allow-Origin"] == nil)
}

@Test func router_wrapsEveryRequestInMiddlewareOutermostFirst() {
    let router = sampleRouter()
    router.use { request, next in
        var response = next(request)
        response.headers.add("X-Trace", "outer")
        return response
    }
    router.use { request, next in
        if request.method == .post && request.headers["Authorization"] != "Bearer t" {
            return HTTPError(401, code: "unauthorized", message: "token").response
        }
        var response = next(request)
        response.headers.add("X-Trace", "inner")
        return response
    }
    #expect(router.handle(Request(method: .post, target: "/jobs")).status == 401)
    let allowed = router.handle(Request(method: .post, target: "/jobs", headers: ["Authorization": "Bearer t"]))
    #expect(allowed.status == 201)
    #expect(allowed.headers.values(for: "X-Trace") == ["inner", "outer"])
    #expect(router.handle(Request(method: .get, target: "/missing")).headers.values(for: "X-Trace") == ["inner", "outer"])
}
