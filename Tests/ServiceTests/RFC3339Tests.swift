// RFC3339: format and parse agree, offsets are honoured, malformed text is rejected.
import Foundation
import Testing
@testable import Service
import TestSupport

@Test func format_writesUTCWithMilliseconds() {
    #expect(RFC3339.format(Date(timeIntervalSince1970: 1_714_566_896.789)) == "2024-05-01T12:34:56.789Z")
    #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
}

@Test func parse_readsZuluAndOffsets() {
    #expect(RFC3339.parse("2024-05-01T12:34:56.789Z") == Date(timeIntervalSince1970: 1_714_566_896.789))
    #expect(RFC3339.parse("2024-05-01T14:34:56+02:00") == Date(timeIntervalSince1970: 1_714_566_896))
    #expect(RFC3339.parse("2024-05-01T12:34:56.5-01:30") == Date(timeIntervalSince1970: 1_714_566_896.5 + 5400))
}

@Test func parse_rejectsMalformedTimes() {
    for text in ["", "2024-05-01", "2024-05-01 12:34:56Z", "2024-13-01T00:00:00Z", "2024-05-01T12:34:56", "2024-05-01T12:34:56.Z", "2024-05-01T12:34:56Zjunk"] {
        #expect(RFC3339.parse(text) == nil, "\(text)")
    }
}

@Test func truncated_survivesAFormatParseRoundTrip() {
    var rng = SplitMix64(seed: 7)
    for _ in 0..<1000 {
        let date = RFC3339.truncated(Date(timeIntervalSince1970: Double.random(in: 0...4_000_000_000, using: &rng)))
        #expect(RFC3339.parse(RFC3339.format(date)) == date)
    }
}
