// The engine's generator: reproducible streams, uniform and normal draws with the right moments.
import Foundation
import Testing
@testable import Engine

struct SeededRandomTests {
    @Test func sameSeed_givesTheSameStreamAndDifferentSeedsDiffer() {
        var a = SeededRandom(seed: 7), b = SeededRandom(seed: 7), c = SeededRandom(seed: 8)
        let first = (0..<5).map { _ in a.next() }
        #expect(first == (0..<5).map { _ in b.next() })
        #expect(first != (0..<5).map { _ in c.next() })
    }

    @Test func normalDraws_haveMeanZeroAndUnitVariance() {
        var random = SeededRandom(seed: 1)
        let draws = (0..<100_000).map { _ in random.nextNormal() }
        let mean = draws.reduce(0, +) / 100_000
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 100_000
        #expect(abs(mean) < 0.01 && abs(variance - 1) < 0.02)
    }

    @Test func indices_coverTheirRangeEvenly() {
        var random = SeededRandom(seed: 2)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[random.nextIndex(below: 7)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 }, "\(counts)")
    }

    @Test func checkpointedState_continuesTheSameStream() throws {
        var random = SeededRandom(seed: 3)
        _ = random.next()
        let copy = try JSONDecoder().decode(SeededRandom.self, from: JSONEncoder().encode(random))
        var restored = copy
        #expect(random.next() == restored.next())
    }
}

