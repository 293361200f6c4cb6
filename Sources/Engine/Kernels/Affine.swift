// The augmentation's warp: one square single-channel image through a rotation, scale and shift about its
// centre, sampled bilinearly (the output pixel's source point, weighted over its four neighbours), with
// `background` wherever a neighbour falls outside the image.
import Foundation

/// One sample's transform: rotation (radians), scale, and shift (pixels, x then y).
struct AffineDraw {
    var angle: Float = 0
    var scale: Float = 1
    var dx: Float = 0
    var dy: Float = 0
}

enum Affine {
    /// dst = source warped by `draw`, both `side × side`, row-major.
    static func warp(_ source: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, side: Int,
                     draw: AffineDraw, background: Float) {
        let c = Float(side - 1) / 2
        // The inverse map: for output (x, y), source = R(−angle)·((x, y) − centre − shift)/scale + centre.
        let cosA = Foundation.cos(draw.angle) / draw.scale, sinA = Foundation.sin(draw.angle) / draw.scale
        let last = Float(side - 1)
        for y in 0..<side {
            let ry = Float(y) - c - draw.dy
            for x in 0..<side {
                let rx = Float(x) - c - draw.dx
                let sx = cosA * rx + sinA * ry + c, sy = -sinA * rx + cosA * ry + c
                // Entirely outside (with a pixel's margin for the neighbours): background.
                guard sx > -1, sy > -1, sx < last + 1, sy < last + 1 else {
                    dst[y * side + x] = background
                    continue
                }
                let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                let fx = sx - Float(x0), fy = sy - Float(y0)
                @inline(__always) func at(_ xx: Int, _ yy: Int) -> Float {
                    xx >= 0 && yy >= 0 && xx < side && yy < side ? source[yy * side + xx] : background
                }
                let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
                let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
                dst[y * side + x] = top * (1 - fy) + bottom * fy
            }
        }
    }
}
