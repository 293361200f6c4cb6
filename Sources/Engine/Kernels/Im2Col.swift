// A convolution as a matrix product: `gather` copies every receptive field (patch) of a batch into one row of
// a matrix, so conv2d's forward is one gemm with the filters; `scatter` adds a patch matrix's gradient back
// onto the image positions the patches came from. Samples are stored (height, width, channels) and a patch
// (kernel row, kernel column, channel), so each kernel row of a patch is one contiguous run of kw · C
// scalars on both sides, copied in SIMD chunks (a 5×5 kernel over one channel has runs of 5: a call to
// memmove per run cost more than the copy, and a strided loop vectorizes into slow scatters).

enum Im2Col {
    /// columns (rows · OH · OW, KH · KW · C) ← the patches of x (rows, H · W · C), zero outside the image.
    /// Row (n · OH + oh) · OW + ow is output position (oh, ow) of sample n; column (kh · KW + kw) · C + c.
    static func gather<T: EngineScalar>(_ x: Matrix<T>, _ g: ConvGeometry, into columns: Matrix<T>) {
        let rows = x.rows
        precondition(x.columns == g.input.count && columns.rows == rows * g.output.positions
                     && columns.columns == g.patch, "im2col shapes")
        let c = g.input.channels, h = g.input.height, w = g.input.width
        let kh = g.kernel.height, kw = g.kernel.width, sh = g.stride.height, sw = g.stride.width
        let oh = g.output.height, ow = g.output.width, patch = g.patch, span = kw * c
        let src = x.base, dst = columns.base
        for n in 0..<rows {
            let image = src + n * h * w * c
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let row = dst + ((n * oh + oy) * ow + ox) * patch
                    let y0 = oy * sh - g.padTop, x0 = ox * sw - g.padLeft
                    // The kernel columns that land inside the image; the rest of a kernel row is padding.
                    let first = min(kw, max(0, -x0)), last = max(first, min(kw, w - x0))
                    for ky in 0..<kh {
                        let iy = y0 + ky, out = row + ky * span
                        guard iy >= 0 && iy < h else { zero(out, span); continue }
                        if first > 0 { zero(out, first * c) }
                        copy(image + (iy * w + x0 + first) * c, to: out + first * c, count: (last - first) * c)
                        if last < kw { zero(out + last * c, (kw - last) * c) }
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
        let oh = g.output.height, ow = g.output.width, patch = g.patch, span = kw * c
        let src = columns.base, dst = dX.base
        dst.update(repeating: 0, count: dX.count)
        for n in 0..<rows {
            let image = dst + n * h * w * c
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let row = src + ((n * oh + oy) * ow + ox) * patch
                    let y0 = oy * sh - g.padTop, x0 = ox * sw - g.padLeft
                    let first = min(kw, max(0, -x0)), last = max(first, min(kw, w - x0))
                    guard first < last else { continue }
                    for ky in 0..<kh {
                        let iy = y0 + ky
                        guard iy >= 0 && iy < h else { continue }
                        add(row + ky * span + first * c, to: image + (iy * w + x0 + first) * c, count: (last - first) * c)
                    }
                }
            }
        }
    }

    /// dst[0..<count] = src[0..<count]; Float in SIMD chunks.
    @inline(__always) private static func copy<T>(_ src: UnsafePointer<T>, to dst: UnsafeMutablePointer<T>, count: Int) {
        var j = 0
        if T.self == Float.self {
            let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
            while j + 8 <= count {
                d.storeBytes(of: s.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self), toByteOffset: 4 * j, as: SIMD8<Float>.self)
                j += 8
            }
            if j + 4 <= count {
                d.storeBytes(of: s.loadUnaligned(fromByteOffset: 4 * j, as: SIMD4<Float>.self), toByteOffset: 4 * j, as: SIMD4<Float>.self)
                j += 4
            }
        }
        while j < count { dst[j] = src[j]; j += 1 }
    }

    /// dst[0..<count] += src[0..<count]; Float in SIMD chunks.
    @inline(__always) private static func add<T: EngineScalar>(_ src: UnsafePointer<T>, to dst: UnsafeMutablePointer<T>, count: Int) {
        var j = 0
        if T.self == Float.self {
            let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
            while j + 8 <= count {
                let sum = d.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self) + s.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self)
                d.storeBytes(of: sum, toByteOffset: 4 * j, as: SIMD8<Float>.self)
                j += 8
            }
            if j + 4 <= count {
                let sum = d.loadUnaligned(fromByteOffset: 4 * j, as: SIMD4<Float>.self) + s.loadUnaligned(fromByteOffset: 4 * j, as: SIMD4<Float>.self)
                d.storeBytes(of: sum, toByteOffset: 4 * j, as: SIMD4<Float>.self)
                j += 4
            }
        }
        while j < count { dst[j] += src[j]; j += 1 }
    }

    @inline(__always) private static func zero<T: EngineScalar>(_ dst: UnsafeMutablePointer<T>, _ count: Int) {
        for j in 0..<count { dst[j] = 0 }
    }
}
