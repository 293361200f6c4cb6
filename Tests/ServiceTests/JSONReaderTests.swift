// JSONReader, the one reader of stored records and request bodies: typed reads name the field by its path,
// optional reads take null as not given, and each caller gets its own domain's error from the same failure.
import Foundation
import Testing
@testable import Service

@Test func reader_namesTheFieldByItsPath() throws {
    let reader = JSONReader(["progress": ["epoch": 1.5, "name": 3], "warnings": [["code": 1]], "flag": true])
    let progress = try reader.object("progress")
    #expect(throws: JSONReadError(field: "progress.epoch", reason: "must be an integer")) { try progress.int("epoch") }
    #expect(throws: JSONReadError(field: "progress.name", reason: "must be a string")) { try progress.optionalString("name") }
    #expect(throws: JSONReadError(field: "progress.epochs", reason: "is missing")) { try progress.int("epochs") }
    #expect(throws: JSONReadError(field: "warnings[0].code", reason: "must be a string")) { try reader.array("warnings")[0].string("code") }
    // true is no number, whatever Foundation would make of it.
    #expect(throws: JSONReadError(field: "flag", reason: "must be an integer in 0...1")) { try reader.optionalInt("flag", in: 0...1) }
}

@Test func optionalReads_takeNullAsNotGiven() throws {
    let reader = JSONReader(["a": nil, "b": 2.0, "c": [1, 300]])
    #expect(try reader.optionalInt("a", in: 1...3) == nil)
    #expect(try reader.optionalInt("missing") == nil)
    #expect(try reader.optionalInt("b", in: 1...3) == 2)
    #expect(try reader.optionalObject("a") == nil)
    #expect(throws: JSONReadError(field: "c[1]", reason: "must be a number in 0...255")) { try JSONReader(reader.value("c"), path: "c").numbers(in: 0...255) }
    #expect(throws: JSONReadError(field: "z", reason: "is an unknown field; expected one of a, b, c")) {
        try JSONReader(["z": 1]).rejectUnknown(["a", "b", "c"])
    }
}

@Test func failures_becomeTheCallersDomainError() throws {
    let failure = JSONReadError(field: "samples", reason: "must be an integer in 1...16")
    let api = APIError(failure)
    #expect(api.status == 400 && api.field == "samples" && api.message == "samples must be an integer in 1...16")
    #expect(throws: StoreError.malformedRecord(field: "samples", reason: "must be an integer in 1...16")) {
        try StoreError.reading { () throws -> Int in throw failure }
    }
}
