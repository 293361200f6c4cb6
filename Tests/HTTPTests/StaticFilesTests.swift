// Static files from memory and from a directory: content types, index files, and no path traversal.
import Foundation
import Testing
@testable import HTTP

@Test func staticFiles_serveInMemoryFilesWithContentTypes() {
    let router = Router()
    router.files("/", StaticFiles(files: ["index.html": Data("<h1>hi</h1>".utf8), "js/app.js": Data("1".utf8)]))
    router.get("/api") { _ in .text("api") }
    let index = router.handle(Request(method: .get, target: "/"))
    #expect(index.status == 200 && bodyText(index) == "<h1>hi</h1>")
    #expect(index.headers["Content-Type"] == "text/html; charset=utf-8")
    #expect(router.handle(Request(method: .get, target: "/js/app.js")).headers["Content-Type"] == "text/javascript; charset=utf-8")
    #expect(bodyText(router.handle(Request(method: .get, target: "/api"))) == "api")
    #expect(router.handle(Request(method: .get, target: "/missing.css")).status == 404)
}

@Test func staticFiles_refuseToLeaveTheirDirectory() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("static-\(UUID().uuidString)")
    let site = root.appendingPathComponent("site")
    try FileManager.default.createDirectory(at: site.appendingPathComponent("sub"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    try Data("secret".utf8).write(to: root.appendingPathComponent("secret.txt"))
    try Data("page".utf8).write(to: site.appendingPathComponent("index.html"))
    try Data("nested".utf8).write(to: site.appendingPathComponent("sub/index.html"))
    try Data("hidden".utf8).write(to: site.appendingPathComponent(".env"))
    try FileManager.default.createSymbolicLink(at: site.appendingPathComponent("link.txt"),
                                               withDestinationURL: root.appendingPathComponent("secret.txt"))
    let router = Router()
    router.files("/static", StaticFiles(directory: site.path))

    #expect(bodyText(router.handle(Request(method: .get, target: "/static/"))) == "page")
    #expect(bodyText(router.handle(Request(method: .get, target: "/static/sub/"))) == "nested")
    #expect(bodyText(router.handle(Request(method: .get, target: "/static/sub"))) == "nested")
    for attack in ["/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/sub/%2E%2E/%2E%2E/secret.txt",
                   "/static/..%2Fsecret.txt", "/static/.env", "/static/link.txt", "/static/%00", "/static/..%5Csecret.txt"] {
        let response = router.handle(Request(method: .get, target: attack))
        #expect(response.status == 404 || response.status == 400, "\(attack)")
        #expect(!bodyText(response).contains("secret") || response.status != 200, "\(attack)")
    }
}

@Test func contentType_followsTheExtension() {
    #expect(ContentType.forPath("a/b.CSS") == "text/css; charset=utf-8")
    #expect(ContentType.forPath("model.json") == "application/json")
    #expect(ContentType.forPath("digit.png") == "image/png")
    #expect(ContentType.forPath("noext") == "application/octet-stream")
    #expect(ContentType.forPath("dir.d/file") == "application/octet-stream")
}
