// Fuzzing IDXFile and Split: thousands of random and mutated inputs must each parse or fail with an IDXError.
import Testing
@testable import IDX
import TestSupport

@Suite struct IDXFuzzTests {
    /// A valid IDX file of a random type and a random small shape.
    private static func validFile(_ random: inout SplitMix64) -> [UInt8] {
        let type = IDXElementType.allCases.randomElement(using: &random)!
        let dimensions = (0..<Int.random(in: 0...4, using: &random)).map { _ in Int.random(in: 0...5, using: &random) }
        let count = dimensions.reduce(1, *) * type.size
        return Fixtures.idx(type, dimensions, payload: (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) })
    }

    /// One mutated input; the strategy cycles so every kind appears about equally often.
    private static func mutant(_ iteration: Int, _ random: inout SplitMix64) -> [UInt8] {
        var bytes = validFile(&random)
        switch iteration % 8 {
        case 0: // truncation
            bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
        case 1: // flipped header byte
            let header = min(bytes.count, 4 + 4 * Int(bytes[3]))
            bytes[Int.random(in: 0..<header, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
        case 2: // flipped byte anywhere, plus appended noise
            bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            if Bool.random(using: &random) { bytes += [UInt8.random(in: 0...255, using: &random)] }
        case 3: // random bytes
            bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 4: // a plausible header with random huge dimensions
            bytes = [0, 0, IDXElementType.allCases.randomElement(using: &random)!.rawValue, UInt8.random(in: 0...8, using: &random)]
            bytes += (0..<(4 * Int(bytes[3]))).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 5: // a valid gzip stream of a valid file (must parse)
            bytes = Fixtures.gzip(bytes)
        case 6: // a gzip stream with flipped bytes
            bytes = Fixtures.gzip(bytes)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            }
        default: // a truncated gzip stream, or gzip magic followed by noise
            let packed = Fixtures.gzip(bytes)
            bytes = Bool.random(using: &random)
                ? Array(packed.prefix(Int.random(in: 0..<packed.count, using: &random)))
                : [0x1f, 0x8b] + (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
        return bytes
    }

    @Test func parse_givesAValidFileOrATypedErrorForTwelveThousandMutants() {
        var random = SplitMix64(seed: 20_240_601)
        var outcomes: [String: Int] = [:]
        for iteration in 0..<12_000 {
            let input = Self.mutant(iteration, &random)
            do {
                let file = try IDXFile(bytes: input, file: "fuzz", limit: 1 << 20)
                let decoded = file.doubles().count
                #expect(decoded == file.count, "iteration \(iteration): \(decoded) elements for \(file.dimensions)")
                outcomes["valid", default: 0] += 1
            } catch let error as IDXError {
                outcomes[Self.kind(error), default: 0] += 1
            } catch {
                Issue.record("iteration \(iteration): untyped error \(error)")
            }
        }
        // The mutants reach every defect the parser knows, so none of its checks goes untested.
        for kind in ["valid", "badMagic", "unknownType", "truncated", "trailingBytes", "dimensionOverflow", "corruptGzip"] {
            #expect(outcomes[kind, default: 0] > 50, "\(kind) seen \(outcomes[kind, default: 0]) times")
        }
    }

    @Test func splitLoading_givesASplitOrATypedErrorForRandomPairs() {
        var random = SplitMix64(seed: 7)
        var splits = 0
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...3, using: &random)
            let images = Fixtures.idx(.ubyte, [count, 2, Int.random(in: 0...2, using: &random)],
                                      payload: (0..<(count * 4)).map { _ in UInt8.random(in: 0...255, using: &random) })
            let labels = Fixtures.idx(.ubyte, [Int.random(in: 0...3, using: &random)],
                                      payload: (0..<count).map { _ in UInt8.random(in: 0...11, using: &random) })
            do {
                let split = try Split(images: IDXFile(bytes: images), labels: IDXFile(bytes: labels),
                                      imagesName: "i", labelsName: "l")
                #expect(split.pixels.count == split.count * split.rows * split.columns)
                #expect(split.labels.allSatisfy { $0 < 10 })
                splits += 1
            } catch is IDXError {
            } catch {
                Issue.record("untyped error \(error)")
            }
        }
        #expect(splits > 100)
    }

    private static func kind(_ error: IDXError) -> String {
        Mirror(reflecting: error).children.first?.label ?? "\(error)"
    }
}
