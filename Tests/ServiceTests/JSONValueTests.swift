// JSONValue: parsing keeps integers, bools and nulls apart; rendering is compact, sorted, escaped, and
// turns non-finite numbers into null.
import Foundation
import Testing
@testable import Service

@Test func parse_keepsIntegersBoolsAndNullsApart() throws {
    let value = try JSONValue(parsing: Data(#"{"a": 1, "b": 1.5, "c": true, "d": null, "e": [ "x", 9007199254740993 ]}"#.utf8))
    #expect(value["a"] == .int(1))
    #expect(value["b"] == .double(1.5))
    #expect(value["c"] == .bool(true))
    #expect(value["d"] == .null)
    #expect(value["e"] == .array([.string("x"), .int(9_007_199_254_740_993)]))
    #expect(value["missing"] == nil)
}

@Test func render_isCompactSortedAndEscaped() {
    let value: JSONValue = ["b": [1, 2.5, nil, true], "a": "quote \" back \\ line\n tab\t bell\u{7} é"]
    #expect(value.text == #"{"a":"quote \" back \\ line\n tab\t bell\u0007 é","b":[1,2.5,null,true]}"#)
}

@Test func render_writesNumbersShortestAndNonFiniteAsNull() {
    #expect(JSONValue.array([.double(3), .double(0.1), .double(1e-5), .double(-2.5e20), .double(.nan), .double(.infinity)]).text
            == "[3,0.1,1e-05,-2.5e+20,null,null]")
    var out: [UInt8] = []
    JSONValue.writeNumber(Float(0.31), to: &out)
    #expect(String(decoding: out, as: UTF8.self) == "0.31")
}

@Test func render_roundTripsThroughFoundationParsing() throws {
    let value: JSONValue = ["n": 12, "x": -0.125, "s": "ünïcode ✓", "o": ["nested": [[], [:]]], "z": false]
    #expect(try JSONValue(parsing: value.data) == value)
}

@Test func parse_rejectsMalformedText() {
    #expect(throws: (any Error).self) { try JSONValue(parsing: Data("{\"a\": }".utf8)) }
}
