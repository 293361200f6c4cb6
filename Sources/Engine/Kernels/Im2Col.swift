// A convolution as a matrix product: `gather` copies every receptive field (patch) of a batch into one row of
// a matrix, so conv2d's forward is one gemm with the filters; `scatter` adds a patch matrix's gradient back
// onto the image positions the patches came from. Samples are stored (height, width, channels).

enum Im2Col {
    /// columns (rows · OH · OW, C · KH · KW) ← the patches of x (rows, H · W · C), zero outside the image.
    /// Row (n · OH + oh) · OW + ow is output position (oh, ow) of sample n; column c · KH · KW + kh · KW + kw is
    /// PyTorch's weight order [out][in][kh][kw].
    static func gather<T: EngineScalar>(_ x: Matrix<T>, _ g: ConvGeometry, into columns: Matrix<T>) {
        let rows = x.rows
        precondition(x.columns == g.input.count && columns.rows == rows * g.output.positions
                     && columns.columns == g.patch, "im2col shapes")
        let c = g.input.channels, h = g.input.height, w = g.input.width
        let kh = g.kernel.height, kw = g.kernel.width, sh = g.stride.height, sw = g.stride.width
        let oh = g.output.height, ow = g.output.width, patch = g.patch
        let src = x.base, dst = columns.base
        for n in 0..<rows {
            let image = src + n * h * w * c
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let row = dst + ((n * oh + oy) * ow + ox) * patch
                    let y0 = oy * sh - g.padTop, x0 = ox * sw - g.padLeft
                    for ky in 0..<kh {
                        let iy = y0 + ky
                        let rowInside = iy >= 0 && iy < h
                        for kx in 0..<kw {
                            let ix = x0 + kx
                            let offset = ky * kw + kx
                            if rowInside && ix >= 0 && ix < w {
                                let pixel = image + (iy * w + ix) * c
                                for ch in 0..<c { row[ch * kh * kw + offset] = pixel[ch] }
                            } else {
                                for ch in 0..<c { row[ch * kh * kw + offset] = 0 }
                            }
                        }
                    }
                }
            }
        }
    }

    /// dX (rows, H · W · C) = the sum, over every patch that covers a position, of that patch's gradient in
    /// `columns` (laid out as `gather` writes). Overwrites dX. Sums in a fixed order (sample, output position,
    /// kernel position), so the result does not depend on threads.
    static func scatter<T: EngineScalar>(_ columns: Matrix<T>, _ g: ConvGeometry, into dX: Matrix<T>) {
        let rows = dX.rows
        precondition(dX.columns == g.input.count && columns.rows == rows * g.output.positions
                     && columns.columns == g.patch, "col2im shapes")
        let c = g.input.channels, h = g.input.height, w = g.input.width
        let kh = g.kernel.height, kw = g.kernel.width, sh = g.stride.height, sw = g.stride.width
        let oh = g.output.height, ow = g.output.width, patch = g.patch
        let src = columns.base, dst = dX.base
        dst.update(repeating: 0, count: dX.count)
        for n in 0..<rows {
            let image = dst + n * h * w * c
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let row = src + ((n * oh + oy) * ow + ox) * patch
                    let y0 = oy * sh - g.padTop, x0 = ox * sw - g.padLeft
                    for ky in 0..<kh {
                        let iy = y0 + ky
                        guard iy >= 0 && iy < h else { continue }
                        for kx in 0..<kw {
                            let ix = x0 + kx
                            guard ix >= 0 && ix < w else { continue }
                            let pixel = image + (iy * w + ix) * c
                            let offset = ky * kw + kx
                            for ch in 0..<c { pixel[ch] += row[ch * kh * kw + offset] }
                        }
                    }
                }
            }
        }
    }
}
