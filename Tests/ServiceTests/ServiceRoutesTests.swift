// The service endpoints: the page and its files, /healthz (200 only with the data loaded and workers
// running, else 503 with the reason), Prometheus /metrics, /openapi.json equal to the route table, JSON
// errors for unknown routes, and the bearer token on every POST and DELETE.
import Foundation
import Testing
@testable import HTTP
@testable import Service

@Test func page_isServedWithItsScriptsAndStyle() throws {
    let client = TestService.shared.client
    let page = try client.get("/")
    #expect(page.status == 200 && page.headers["content-type"]?.hasPrefix("text/html") == true)
    #expect(page.text.contains("<script type=\"module\" src=\"main.js\">") && page.text.contains("style.css"))
    #expect(try client.get("/style.css").headers["content-type"]?.hasPrefix("text/css") == true)
    // Every module is served as JavaScript (browsers refuse modules of other types), and every module one
    // imports is a page file.
    for name in Page.assets where name.hasSuffix(".js") {
        let script = try client.get("/" + name)
        #expect(script.status == 200 && script.headers["content-type"]?.hasPrefix("text/javascript") == true, "\(name)")
        for part in script.text.components(separatedBy: "from './").dropFirst() {
            let imported = String(part.prefix { $0 != "'" })
            #expect(Page.names.contains(imported), "\(name) imports \(imported), which is not in Page.names")
        }
    }
}

@Test func healthz_isOkOnceMNISTIsLoaded() throws {
    let server = try TestService()
    let deadline = Date().addingTimeInterval(120)
    var response = try server.client.get("/healthz")
    while response.status != 200 && Date() < deadline {
        usleep(50_000)
        response = try server.client.get("/healthz")
    }
    #expect(response.status == 200)
    #expect(response.json == ["status": "ok"])
}

@Test func healthz_is503WithTheReasonWhenThereIsNoData() throws {
    let empty = try TemporaryDirectory()
    let server = try TestService { $0.dataDirectory = empty.url.path }
    usleep(100_000)
    let response = try server.client.get("/healthz")
    #expect(response.status == 503)
    #expect(response.json["error"]?["code"] == "unavailable")
    let message = response.json["error"]?["message"]?.stringValue ?? ""
    #expect(message.contains("MNIST is not in \(empty.url.path)") && message.contains("train-images-idx3-ubyte.gz"))
    // Still serving: the API answers, and a job for the missing dataset is refused naming the field.
    #expect(try server.client.get("/jobs").status == 200)
    #expect(try server.client.post("/jobs", json: [:]).json["error"]?["field"] == "dataset")
}

@Test func openAPIDocument_describesExactlyTheRoutesServed() throws {
    let served = Set(TestService.shared.service.routes.router.routes.map { route in
        "\(route.method.rawValue.lowercased()) /" + route.pattern.description.split(separator: "/")
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    })
    let document = try TestService.shared.client.get("/openapi.json").json
    let paths = try #require(document["paths"]?.objectValue)
    let described = Set(paths.flatMap { path, item in
        (item.objectValue ?? [:]).keys.filter { $0 != "parameters" }.map { "\($0) \(path)" }
    })
    #expect(served == described)
    #expect(served.count == 29 + Page.assets.count)
}

@Test func metrics_countRequestsByRoutePatternAndJobsByState() throws {
    let server = try TestService()
    _ = try server.client.get("/jobs/job_a")
    _ = try server.client.get("/jobs/job_b")
    _ = try server.client.get("/nowhere")
    let id = try server.submit(["model": ["hidden": [8]], "training": ["iterations": 5]])["id"]!.stringValue!
    try server.waitForEnd(id)
    let text = try server.client.get("/metrics")
    #expect(text.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
    let lines = Set(text.text.split(separator: "\n").map(String.init))
    #expect(lines.contains("mnistd_http_requests_total{route=\"/jobs/{id}\",method=\"GET\",status=\"404\"} 2"))
    #expect(lines.contains("mnistd_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"))
    #expect(lines.contains("mnistd_http_requests_total{route=\"/jobs\",method=\"POST\",status=\"201\"} 1"))
    #expect(lines.contains("mnistd_jobs{state=\"succeeded\"} 1"))
    #expect(lines.contains("mnistd_samples_trained_total 640"))
    #expect(lines.contains { $0.hasPrefix("mnistd_http_request_duration_seconds_count{route=\"/jobs/{id}\"} ") })
}

@Test func unknownRoutesAndMethods_answerJSONErrors() throws {
    let client = TestService.shared.client
    let missing = try client.get("/nowhere")
    #expect(missing.status == 404 && missing.json["error"]?["code"] == "not_found")
    let method = try client.send("PUT", "/jobs")
    #expect(method.status == 405 && method.json["error"]?["code"] == "method_not_allowed")
}

@Test func token_isNeededForEveryPostAndDeleteButNoGet() throws {
    let server = try TestService { $0.token = "s3cret" }
    let body: JSONValue = ["model": ["hidden": [8]], "training": ["iterations": 5]]
    let without = try server.client.post("/jobs", json: body)
    #expect(without.status == 401 && without.json["error"]?["code"] == "unauthorized")
    #expect(without.headers["www-authenticate"] == "Bearer")
    #expect(try server.client.post("/jobs", json: body, headers: ["Authorization": "Bearer wrong"]).status == 401)
    #expect(try server.client.post("/gradcheck", json: [:]).status == 401)
    #expect(try server.client.send("DELETE", "/jobs/job_x").status == 401)
    #expect(try server.client.send("POST", "/jobs/job_x/cancel").status == 401)
    let with = try server.client.post("/jobs", json: body, headers: ["Authorization": "Bearer s3cret"])
    #expect(with.status == 201)
    // The scheme name is case-insensitive (RFC 9110 §11.1); the token is not.
    #expect(try server.client.send("DELETE", "/jobs/job_x", headers: ["Authorization": "bearer s3cret"]).status == 404)
    #expect(try server.client.send("DELETE", "/jobs/job_x", headers: ["Authorization": "bearer S3CRET"]).status == 401)
    #expect(try server.client.send("DELETE", "/jobs/job_x", headers: ["Authorization": "Bearers3cret"]).status == 401)
    #expect(try server.client.get("/jobs").status == 200)
    #expect(try server.client.get("/healthz").status != 401)
}

@Test func openAPIDocument_declaresAuthOnlyWhenATokenIsSet() throws {
    func securedOperations(_ document: JSONValue) -> Int {
        (document["paths"]?.objectValue ?? [:]).values.reduce(0) { count, item in
            count + (item.objectValue ?? [:]).values.filter { $0["security"] != nil || $0["responses"]?["401"] != nil }.count
        }
    }
    let open = try TestService.shared.client.get("/openapi.json").json
    #expect(securedOperations(open) == 0)
    let guarded = try TestService { $0.token = "t0ken" }
    let document = try guarded.client.get("/openapi.json").json
    // Every POST and DELETE, each with its security requirement and its 401.
    let writes = (document["paths"]?.objectValue ?? [:]).values.reduce(0) { $0 + ($1.objectValue ?? [:]).keys.filter { ["post", "delete"].contains($0) }.count }
    #expect(securedOperations(document) == writes && writes >= 7)
}
