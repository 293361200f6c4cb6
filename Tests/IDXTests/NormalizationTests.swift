// Tests of Normalization: the unit and standardized pixel values against their formulas.
import Testing
@testable import IDX

@Suite struct NormalizationTests {
    @Test func unit_dividesBy255() {
        #expect(Normalization.unit.value(0) == 0)
        #expect(Normalization.unit.value(255) == 1)
        #expect(Normalization.unit.value(51) == Float(51) / 255)
    }

    @Test func standardize_subtractsMNISTMeanAndDividesByStd() {
        #expect(abs(Normalization.standardize.value(0) - (-0.1307 / 0.3081)) < 1e-6)
        #expect(abs(Normalization.standardize.value(255) - ((1 - 0.1307) / 0.3081)) < 1e-6)
    }

    @Test func table_holdsTheValueOfEveryPixel() {
        for normalization in Normalization.allCases {
            let table = normalization.table
            #expect(table.count == 256)
            #expect((0...255).allSatisfy { table[$0] == normalization.value(UInt8($0)) })
        }
    }

    @Test func rawValues_matchTheJobConfigStrings() {
        #expect(Normalization(rawValue: "unit") == .unit)
        #expect(Normalization(rawValue: "standardize") == .standardize)
        #expect(Normalization(rawValue: "zscore") == nil)
    }
}
