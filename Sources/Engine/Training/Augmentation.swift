// A training batch's random affines: one draw per sample per step from the augmentation's own stream, made on
// the stepping thread before any gather, so the warped images (and the weights) are the same bits on any
// number of threads; the warp then runs wherever each slice of the batch is gathered.
import Foundation

final class Augmentation {
    let settings: AugmentSettings
    let side: Int
    let background: Float
    var random: SeededRandom
    /// The gathered images before the warp (capacity × inputs), and this step's draw per row.
    let source: Matrix<Float>
    private let storage: Storage<Float>
    private var draws: [AffineDraw]

    init(settings: AugmentSettings, shape: TensorShape, capacity: Int, seed: UInt64, background: Float) {
        precondition(shape.channels == 1 && shape.height == shape.width, "augmentation needs a square single-channel image")
        self.settings = settings
        side = shape.height
        self.background = background
        random = SeededRandom(seed: seed, stream: 4)
        storage = Storage(count: capacity * shape.count)
        source = storage.carve(rows: capacity, columns: shape.count)
        draws = Array(repeating: AffineDraw(), count: capacity)
    }

    /// Draws the transforms of this step's `rows` samples: rotation, scale, then the two shifts, each uniform
    /// in ± its range (a range of 0 draws nothing).
    func draw(rows: Int) {
        let degrees = settings.rotate, scale = settings.scale, shift = settings.shift
        for r in 0..<rows {
            var d = AffineDraw()
            if degrees > 0 { d.angle = Float(random.nextUniform(-degrees, degrees) * Double.pi / 180) }
            if scale > 0 { d.scale = Float(random.nextUniform(1 - scale, 1 + scale)) }
            if shift > 0 {
                d.dx = Float(random.nextUniform(-shift, shift))
                d.dy = Float(random.nextUniform(-shift, shift))
            }
            draws[r] = d
        }
    }

    /// input[r] = source[r] warped by row r's draw, for r in `slice`.
    func warp(rows slice: Range<Int>, into input: Matrix<Float>) {
        let width = source.columns
        for r in slice {
            Affine.warp(source.base + r * width, into: input.base + r * width, side: side, draw: draws[r], background: background)
        }
    }
}
