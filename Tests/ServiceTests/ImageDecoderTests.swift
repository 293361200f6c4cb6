// ImageDecoder: PNG of every color type, depth, filter and interlacing against the pixels encoded;
// PGM P5/P2; precise errors; and a fuzz loop of mutated images that must never crash.
import Foundation
import Testing
@testable import Service
import TestSupport

/// A 28×28 ramp with structure in both directions, so a misplaced pixel or wrong filter shows.
private func pattern(max: Int) -> [Int] {
    (0..<784).map { i in ((i % 28) * 7 + (i / 28) * 13 + (i * i) % 11) % (max + 1) }
}

@Test func decode_readsEightBitGreyPNGThroughAllFiveFilters() throws {
    let pixels = pattern(max: 255)
    for filters: [UInt8] in [[0], [1], [2], [3], [4], [0, 1, 2, 3, 4]] {
        let png = PNGFixture(samples: pixels, filters: filters).encode()
        #expect(try ImageDecoder.decode(Data(png)) == pixels.map(UInt8.init))
    }
}

@Test func decode_readsAdam7InterlacedPNG() throws {
    let pixels = pattern(max: 255)
    let png = PNGFixture(interlaced: true, samples: pixels).encode()
    #expect(try ImageDecoder.decode(Data(png)) == pixels.map(UInt8.init))
}

@Test func decode_scalesLowAndHighBitDepthGreyTo8Bits() throws {
    let ones = pattern(max: 1)
    let one = PNGFixture(depth: 1, samples: ones, filters: [4, 1]).encode()
    #expect(try ImageDecoder.decode(Data(one)) == ones.map { UInt8($0 * 255) })
    let fours = pattern(max: 15)
    let four = PNGFixture(depth: 4, interlaced: true, samples: fours).encode()
    #expect(try ImageDecoder.decode(Data(four)) == fours.map { UInt8($0 * 17) })
    let wide = pattern(max: 255).map { $0 * 257 }  // 16-bit values whose 8-bit equivalent is exact
    let sixteen = PNGFixture(depth: 16, samples: wide).encode()
    #expect(try ImageDecoder.decode(Data(sixteen)) == pattern(max: 255).map(UInt8.init))
}

@Test func decode_convertsRGBToBT601Luminance() throws {
    var samples = [Int](repeating: 0, count: 784 * 3)
    samples[0...2] = [255, 0, 0]
    samples[3...5] = [0, 255, 0]
    samples[6...8] = [0, 0, 255]
    samples[9...11] = [255, 255, 255]
    samples[12...14] = [10, 200, 30]
    let grey = try ImageDecoder.decode(Data(PNGFixture(colorType: 2, samples: samples).encode()))
    // 0.299·255 = 76.2, 0.587·255 = 149.7, 0.114·255 = 29.1, 0.299·10 + 0.587·200 + 0.114·30 = 123.8
    #expect(Array(grey.prefix(6)) == [76, 150, 29, 255, 124, 0])
}

@Test func decode_compositesAlphaOverBlack() throws {
    var greyAlpha = [Int](repeating: 0, count: 784 * 2)
    greyAlpha[0...1] = [200, 128]  // half-transparent light grey -> 200·128/255 = 100.4
    greyAlpha[2...3] = [255, 255]
    greyAlpha[4...5] = [255, 0]    // fully transparent white ink counts as background
    let ga = try ImageDecoder.decode(Data(PNGFixture(colorType: 4, samples: greyAlpha).encode()))
    #expect(Array(ga.prefix(4)) == [100, 255, 0, 0])

    var rgba = [Int](repeating: 0, count: 784 * 4)
    rgba[0...3] = [255, 255, 255, 51]  // white at 20% -> 51
    rgba[4...7] = [0, 255, 0, 255]
    let colour = try ImageDecoder.decode(Data(PNGFixture(colorType: 6, samples: rgba, filters: [3, 4]).encode()))
    #expect(Array(colour.prefix(3)) == [51, 150, 0])
}

@Test func decode_looksUpPaletteAndItsTransparency() throws {
    let indices = pattern(max: 3)
    let palette: [UInt8] = [0, 0, 0, 255, 255, 255, 255, 0, 0, 90, 90, 90]
    let alpha: [UInt8] = [255, 255, 255, 0]  // entry 3 is fully transparent
    let png = PNGFixture(depth: 2, colorType: 3, samples: indices, palette: palette, transparency: alpha).encode()
    let expected: [UInt8] = indices.map { [0, 255, 76, 0][$0] }
    #expect(try ImageDecoder.decode(Data(png)) == expected)
}

@Test func decode_treatsTheGreyTRNSKeyAsTransparent() throws {
    let pixels = pattern(max: 255)
    let png = PNGFixture(samples: pixels, transparency: [0, UInt8(pixels[5])]).encode()
    let grey = try ImageDecoder.decode(Data(png))
    #expect(grey[5] == 0)
    #expect(grey[1] == UInt8(pixels[1]) || pixels[1] == pixels[5])
}

// MARK: - Errors

@Test func decode_rejectsUnknownSignature() {
    #expect(throws: ImageError.badSignature) { try ImageDecoder.decode(Data("GIF89a".utf8)) }
    #expect(throws: ImageError.badSignature) { try ImageDecoder.decode(Data()) }
}

@Test func decode_rejectsCorruptedChunkByCRC() {
    var png = PNGFixture(samples: pattern(max: 255)).encode()
    png[60] ^= 0x01  // inside the first IDAT's data
    #expect(throws: ImageError.badCRC(chunk: "IDAT")) { try ImageDecoder.decode(Data(png)) }
}

@Test func decode_namesTheSizeItGotWhenNot28x28() throws {
    let png = PNGFixture(width: 27, height: 30, samples: [Int](repeating: 0, count: 27 * 30)).encode()
    let error = #expect(throws: ImageError.self) { try ImageDecoder.decode(Data(png)) }
    #expect(error == .wrongSize(width: 27, height: 30))
    #expect(error?.message == "wrong image size: got 27×30, need 28×28")
}

@Test func decode_rejectsBitDepthsTheColorTypeForbids() {
    var png = PNGFixture(colorType: 2, samples: [Int](repeating: 0, count: 784 * 3)).encode()
    // Rewrite IHDR's depth to 4 and fix its CRC so only the depth is wrong.
    png[24] = 4
    let crc = be32(Int(PNGFixture.chunk("IHDR", Array(png[16..<29])).suffix(4).reduce(0) { $0 << 8 | Int($1) }))
    png.replaceSubrange(29..<33, with: crc)
    #expect(throws: ImageError.unsupportedBitDepth(depth: 4, colorType: 2)) { try ImageDecoder.decode(Data(png)) }
}

@Test func decode_reportsTruncationWhereverTheDataEnds() {
    let png = PNGFixture(samples: pattern(max: 255)).encode()
    for cut in [4, 20, 40, png.count - 12, png.count - 1] {
        #expect(throws: ImageError.self) { try ImageDecoder.decode(Data(png.prefix(cut))) }
    }
    #expect(throws: ImageError.truncated("the PNG signature")) { try ImageDecoder.decode(Data(png.prefix(4))) }
    #expect(throws: ImageError.truncated("the chunk at byte \(png.count - 12)")) { try ImageDecoder.decode(Data(png.prefix(png.count - 1))) }
    #expect(throws: ImageError.truncated("the chunk list (no IEND)")) { try ImageDecoder.decode(Data(png.prefix(png.count - 12))) }
    #expect(throws: ImageError.truncated("chunk IDAT")) { try ImageDecoder.decode(Data(png.prefix(60))) }
}

@Test func decode_rejectsPixelDataOfTheWrongLength() {
    var fixture = PNGFixture(samples: pattern(max: 255))
    let short = Array(fixture.scanlines().dropLast(29))
    var png = Array(fixture.encode().prefix(33))
    png += PNGFixture.chunk("IDAT", PNGFixture.deflate(short)) + PNGFixture.chunk("IEND", [])
    #expect(throws: ImageError.truncated("the pixel data (783 of 812 bytes)")) { try ImageDecoder.decode(Data(png)) }
    fixture.filters = [9]
    #expect(throws: ImageError.malformed("unknown PNG row filter type 9")) { try ImageDecoder.decode(Data(fixture.encode())) }
}

// MARK: - PGM

@Test func decode_readsBinaryPGMWith8And16BitSamples() throws {
    let pixels = pattern(max: 255).map(UInt8.init)
    #expect(try ImageDecoder.decode(Data("P5\n28 28\n255\n".utf8) + Data(pixels)) == pixels)
    let wide = pattern(max: 255).flatMap { [UInt8($0), UInt8($0)] }  // value·257 at maxval 65535 is exact
    #expect(try ImageDecoder.decode(Data("P5 28 28 65535 ".utf8) + Data(wide)) == pixels)
    let twelveBit = [UInt8](repeating: 0x0F, count: 784 * 2)  // 0x0F0F = 3855 of 4095 -> 240.06
    #expect(try ImageDecoder.decode(Data("P5 28 28 4095\n".utf8) + Data(twelveBit)) == [UInt8](repeating: 240, count: 784))
    let fifteen = pattern(max: 15).map(UInt8.init)
    #expect(try ImageDecoder.decode(Data("P5\n28 28\n15\n".utf8) + Data(fifteen)) == fifteen.map { $0 * 17 })
}

@Test func decode_readsASCIIPGMWithComments() throws {
    let pixels = pattern(max: 255)
    let text = "P2\n# drawn by hand\n28 # width\n28\n255\n" + pixels.map(String.init).joined(separator: " ") + "\n"
    #expect(try ImageDecoder.decode(Data(text.utf8)) == pixels.map(UInt8.init))
}

@Test func decode_rejectsBadPGMs() {
    #expect(throws: ImageError.wrongSize(width: 32, height: 28)) {
        try ImageDecoder.decode(Data("P5\n32 28\n255\n".utf8) + Data(count: 32 * 28))
    }
    #expect(throws: ImageError.truncated("the PGM raster")) {
        try ImageDecoder.decode(Data("P5\n28 28\n255\n".utf8) + Data(count: 700))
    }
    #expect(throws: ImageError.malformed("PGM pixel value 300 exceeds maxval 255")) {
        try ImageDecoder.decode(Data(("P2 28 28 255 300" + String(repeating: " 0", count: 783)).utf8))
    }
    #expect(throws: ImageError.malformed("PGM width is not a number")) { try ImageDecoder.decode(Data("P5 x".utf8)) }
}

// MARK: - Fuzz

@Test func decode_neverCrashesOnThousandsOfMutatedImages() {
    var rng = SplitMix64(seed: 42)
    let seeds: [[UInt8]] = [
        PNGFixture(samples: pattern(max: 255)).encode(),
        PNGFixture(interlaced: true, samples: pattern(max: 255)).encode(),
        PNGFixture(depth: 2, colorType: 3, samples: pattern(max: 3),
                   palette: [0, 0, 0, 255, 255, 255, 9, 9, 9, 1, 2, 3], transparency: [0, 128]).encode(),
        PNGFixture(colorType: 6, samples: (0..<784 * 4).map { $0 % 256 }).encode(),
        Array("P5\n28 28\n255\n".utf8) + pattern(max: 255).map(UInt8.init),
        Array(("P2 28 28 255 " + pattern(max: 255).map(String.init).joined(separator: " ")).utf8),
    ]
    var decoded = 0, rejected = 0
    for round in 0..<3000 {
        var bytes = seeds[round % seeds.count]
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.removeSubrange(at...)
            case 2: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
            default: bytes[at] ^= 1 << UInt8.random(in: 0...7, using: &rng)
            }
            if bytes.isEmpty { break }
        }
        if round % 2 == 0 { bytes = fixCRCs(bytes) }  // reach past the CRC check into IHDR, zlib and filters
        do {
            #expect(try ImageDecoder.decode(Data(bytes)).count == 784)
            decoded += 1
        } catch is ImageError {
            rejected += 1
        } catch {
            Issue.record("unexpected error type \(error)")
        }
    }
    #expect(decoded + rejected == 3000)
    #expect(rejected > 1000)
}

/// Recomputes every PNG chunk CRC that lies within `bytes`.
private func fixCRCs(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.starts(with: PNGDecoder.signature) else { return bytes }
    var out = bytes
    var index = 8
    while index + 12 <= out.count {
        let length = Int(PNGDecoder.readUInt32(out, index))
        guard length <= out.count - index - 12 else { break }
        let fixed = PNGFixture.chunk(String(decoding: out[(index + 4)..<(index + 8)], as: UTF8.self), Array(out[(index + 8)..<(index + 8 + length)]))
        out.replaceSubrange((index + 8 + length)..<(index + 12 + length), with: fixed.suffix(4))
        index += 12 + length
    }
    return out
}
