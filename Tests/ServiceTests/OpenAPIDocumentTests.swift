// OpenAPIDocument: every endpoint of the service is described with its method, every $ref resolves, the
// config bounds match the validation rules, and openapi-spec-validator (when installed) accepts it.
import Foundation
import Testing
import TestSupport
@testable import Service

/// (method, path) of every endpoint the service serves.
private let contractEndpoints: [(String, String)] = [
    ("post", "/jobs"), ("get", "/jobs"), ("get", "/jobs/{id}"), ("get", "/jobs/{id}/history"), ("get", "/jobs/{id}/events"),
    ("post", "/jobs/{id}/cancel"), ("delete", "/jobs/{id}"), ("get", "/models"), ("post", "/models"), ("get", "/models/{id}"),
    ("get", "/models/{id}/export"), ("post", "/models/{id}/predict"), ("post", "/gradcheck"),
    ("post", "/experiments/init-comparison"), ("get", "/"), ("get", "/healthz"), ("get", "/metrics"), ("get", "/openapi.json"),
    ("get", "/presets"), ("get", "/models/{id}/evaluation"), ("post", "/experiments/sweep"), ("get", "/experiments"),
    ("get", "/experiments/{id}"), ("delete", "/models/{id}"),
]

@Test func document_describesEveryEndpointOfTheContract() throws {
    let parsed = try JSONValue(parsing: OpenAPIDocument.data)
    #expect(parsed["openapi"] == "3.1.0")
    let paths = try #require(parsed["paths"]?.objectValue)
    for (method, path) in contractEndpoints {
        #expect(paths[path]?[method]?["responses"] != nil, "\(method.uppercased()) \(path) is missing")
    }
    let described = paths.flatMap { path, item in
        (item.objectValue ?? [:]).keys.filter { $0 != "parameters" }.map { "\($0) \(path)" }
    }
    // Beyond the contract: the page's files, the datasets the page reads, the images behind a confusion cell,
    // and an experiment's cancel and delete.
    let extras = Page.assets.map { "get /\($0)" } + ["get /datasets", "get /datasets/{name}/test/{index}",
                                                     "get /models/{id}/evaluation/cell", "post /experiments/{id}/cancel",
                                                     "delete /experiments/{id}"]
    #expect(Set(described) == Set(contractEndpoints.map { "\($0) \($1)" } + extras))
}

@Test func document_securesEveryPostAndDeleteAndNoGet() throws {
    let paths = try #require(OpenAPIDocument.document["paths"]?.objectValue)
    for (path, item) in paths {
        for (method, op) in item.objectValue! where method != "parameters" {
            let secured = op["security"] == [["bearer": []]]
            #expect(secured == (method == "post" || method == "delete"), "\(method) \(path)")
            if secured { #expect(op["responses"]?["401"] != nil) }
        }
    }
}

@Test func document_resolvesEveryReference() throws {
    let document = OpenAPIDocument.document
    var references: [String] = []
    func walk(_ value: JSONValue) {
        switch value {
        case .object(let members):
            if let target = members["$ref"]?.stringValue { references.append(target) }
            members.values.forEach(walk)
        case .array(let items): items.forEach(walk)
        default: break
        }
    }
    walk(document)
    #expect(references.count > 40)
    for reference in references {
        let parts = reference.dropFirst(2).split(separator: "/").map(String.init)
        #expect(reference.hasPrefix("#/"))
        #expect(parts.reduce(Optional(document)) { $0?[$1] } != nil, "\(reference) does not resolve")
    }
}

@Test func schemas_carryTheValidationBoundsOfTheConfig() throws {
    let schemas = try #require(OpenAPIDocument.document["components"]?["schemas"])
    let training = try #require(schemas["TrainingConfig"])
    #expect(training["additionalProperties"] == false)
    #expect(training["properties"]?["epochs"]?["minimum"] == 1 && training["properties"]?["epochs"]?["maximum"] == 1000)
    #expect(training["properties"]?["iterations"]?["maximum"] == 10_000_000)
    #expect(training["properties"]?["batch_size"]?["maximum"] == 60000)
    #expect(training["properties"]?["learning_rate"]?["exclusiveMinimum"] == 0.0)
    #expect(training["properties"]?["momentum"]?["exclusiveMaximum"] == 1.0 && training["properties"]?["momentum"]?["maximum"] == nil)
    // The parser's limits, which the schema left out before it was made from the field descriptions.
    #expect(training["properties"]?["seed"]?["maximum"] == 9_007_199_254_740_991)
    #expect(training["properties"]?["eval_every"]?["maximum"] == 10_000_000)
    let model = try #require(schemas["ModelConfig"])
    #expect(model["additionalProperties"] == false)
    #expect(model["properties"]?["hidden"]?["maxItems"] == 16)
    #expect(model["properties"]?["hidden"]?["items"] == ["type": "integer", "minimum": 1, "maximum": 4096])
    #expect(model["properties"]?["activation"]?["enum"] == ["relu", "leaky_relu", "sigmoid", "tanh", "softplus"])
    #expect(model["properties"]?["loss"]?["type"] == ["string", "null"])
    #expect(model["properties"]?["loss"]?["enum"]?.arrayValue?.last == .null)
    #expect(schemas["JobRequest"]?["additionalProperties"] == false)
    let job = try #require(schemas["Job"]?["required"]?.arrayValue)
    #expect(Set(job.compactMap(\.stringValue)) == Set(sampleJob().json.objectValue!.keys))
}

@Test func predict_acceptsJSONAndBothImageTypes() throws {
    let content = try #require(OpenAPIDocument.document["paths"]?["/models/{id}/predict"]?["post"]?["requestBody"]?["content"]?.objectValue)
    #expect(Set(content.keys) == Set(["application/json"] + ImageDecoder.mediaTypes))
}

private let validatorInstalled = pythonCanImport("openapi_spec_validator")

@Test(.enabled(if: validatorInstalled, "needs python3 with openapi-spec-validator"))
func document_passesOpenAPISpecValidator() throws {
    let dir = try TemporaryDirectory()
    try OpenAPIDocument.data.write(to: dir.file("openapi.json"))
    let validator = Process()
    validator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    validator.arguments = ["python3", "-c", """
        import json, sys
        from openapi_spec_validator import validate
        validate(json.load(open(sys.argv[1])))
        """, dir.file("openapi.json").path]
    let errors = Pipe()
    validator.standardError = errors
    try validator.run()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    validator.waitUntilExit()
    #expect(validator.terminationStatus == 0, "\(message)")
}
