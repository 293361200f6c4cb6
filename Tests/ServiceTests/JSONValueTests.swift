// JSONValue: parsing keeps integers, bools and nulls apart; rendering is compact, sorted, escaped, and
// turns non-finite numbers into null.
import Foundation
import Testing
@testable import Service
import Engine

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

@Test func parse_readsNumbersExactlyAndGivesTheEngineTheSameTree() throws {
    // Request bodies are read as JSONValue, then handed to the engine as a tree: both steps keep every bit
    // (Linux's JSONSerialization would give 1.0 and 0.3000000000000001 for the first two).
    let value = try JSONValue(parsing: Data("[0.9999999999999999, 0.30000000000000004, 5e-324, 9007199254740991, true]".utf8))
    #expect(value == [.double((1.0).nextDown), .double(0.1 + 0.2), .double(Double.leastNonzeroMagnitude), .int(9_007_199_254_740_991), true])
    let tree = try #require(value.tree as? [NSNumber])
    #expect(tree.prefix(4).map(\.doubleValue) == [(1.0).nextDown, 0.1 + 0.2, Double.leastNonzeroMagnitude, 9_007_199_254_740_991])
    #expect(tree.map(JSONTree.isBoolean) == [false, false, false, false, true])
}
