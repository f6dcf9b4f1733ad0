/// Nearest and bilinear 2-D upsampling over NCHW, with PyTorch's index formulas
/// (`F.interpolate(mode="nearest" | "bilinear")`). Source coordinates depend only on the
/// output row/column, so they are computed once per call and reused by every plane;
/// planes split across threads. Backward scatters with the same weights into a zeroed
/// gradient plane (planes are disjoint, so no reduction across threads).
///
/// `scaleH`/`scaleW` are the user's scale_factor when one was given: PyTorch then maps
/// with 1/scale_factor rather than in/out (they differ when out = floor(in·scale)).

/// PyTorch's `area_pixel_compute_scale`.
@inline(__always)
func resampleScale(_ inSize: Int, _ outSize: Int, alignCorners: Bool, _ scale: Double?) -> Double {
  if alignCorners { return outSize > 1 ? Double(inSize - 1) / Double(outSize - 1) : 0 }
  if let s = scale, s > 0 { return 1 / s }
  return Double(inSize) / Double(outSize)
}

/// Nearest: src = min(floor(dst·scale), in − 1).
func nearestIndices(_ inSize: Int, _ outSize: Int, _ scale: Double?) -> [Int] {
  let sc = Float(resampleScale(inSize, outSize, alignCorners: false, scale))
  return (0..<outSize).map { min(Int((Float($0) * sc).rounded(.down)), inSize - 1) }
}

/// Bilinear taps (i0, i1, w0, w1) per output index: src = scale·(dst + ½) − ½ clamped at
/// 0 (align_corners = false) or scale·dst (true).
func linearTaps(_ inSize: Int, _ outSize: Int, alignCorners: Bool, _ scale: Double?) -> [(Int, Int, Float, Float)] {
  let sc = Float(resampleScale(inSize, outSize, alignCorners: alignCorners, scale))
  return (0..<outSize).map { o in
    let src = alignCorners ? sc * Float(o) : max(sc * (Float(o) + 0.5) - 0.5, 0)
    let i0 = min(Int(src), inSize - 1)
    let i1 = i0 + (i0 < inSize - 1 ? 1 : 0)
    let l1 = src - Float(i0)
    return (i0, i1, 1 - l1, l1)
  }
}

public func upsampleNearest2dForward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                                     batch: Int, channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int,
                                     scaleH: Double? = nil, scaleW: Double? = nil) {
  let rows = nearestIndices(height, outHeight, scaleH), cols = nearestIndices(width, outWidth, scaleW)
  let planes = batch * channels, HW = height * width, OHW = outHeight * outWidth
  KernelParallel.forRanges(count: planes, work: planes * OHW) { _, range in
    for p in range {
      let x = input + p * HW, y = output + p * OHW
      for oy in 0..<outHeight {
        let src = x + rows[oy] * width, dst = y + oy * outWidth
        for ox in 0..<outWidth { dst[ox] = src[cols[ox]] }
      }
    }
  }
}

/// gradInput (overwritten): each input gathers the gradients of the outputs that copied it.
public func upsampleNearest2dBackward(gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>,
                                      batch: Int, channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int,
                                      scaleH: Double? = nil, scaleW: Double? = nil) {
  let rows = nearestIndices(height, outHeight, scaleH), cols = nearestIndices(width, outWidth, scaleW)
  let planes = batch * channels, HW = height * width, OHW = outHeight * outWidth
  KernelParallel.forRanges(count: planes, work: planes * OHW) { _, range in
    for p in range {
      let dx = gradInput + p * HW, dy = gradOutput + p * OHW
      dx.update(repeating: 0, count: HW)
      for oy in 0..<outHeight {
        let dst = dx + rows[oy] * width, src = dy + oy * outWidth
        for ox in 0..<outWidth { dst[cols[ox]] += src[ox] }
      }
    }
  }
}

public func upsampleBilinear2dForward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                                      batch: Int, channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int,
                                      alignCorners: Bool = false, scaleH: Double? = nil, scaleW: Double? = nil) {
  let rows = linearTaps(height, outHeight, alignCorners: alignCorners, scaleH)
  let cols = linearTaps(width, outWidth, alignCorners: alignCorners, scaleW)
  let planes = batch * channels, HW = height * width, OHW = outHeight * outWidth
  KernelParallel.forRanges(count: planes, work: planes * OHW * 4) { _, range in
    for p in range {
      let x = input + p * HW, y = output + p * OHW
      for oy in 0..<outHeight {
        let (r0, r1, a0, a1) = rows[oy]
        let s0 = x + r0 * width, s1 = x + r1 * width, dst = y + oy * outWidth
        for ox in 0..<outWidth {
          let (c0, c1, b0, b1) = cols[ox]
          dst[ox] = a0 * (b0 * s0[c0] + b1 * s0[c1]) + a1 * (b0 * s1[c0] + b1 * s1[c1])
        }
      }
    }
  }
}

/// gradInput (overwritten): the adjoint of the bilinear forward, same taps and weights.
public func upsampleBilinear2dBackward(gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>,
                                       batch: Int, channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int,
                                       alignCorners: Bool = false, scaleH: Double? = nil, scaleW: Double? = nil) {
  let rows = linearTaps(height, outHeight, alignCorners: alignCorners, scaleH)
  let cols = linearTaps(width, outWidth, alignCorners: alignCorners, scaleW)
  let planes = batch * channels, HW = height * width, OHW = outHeight * outWidth
  KernelParallel.forRanges(count: planes, work: planes * OHW * 4) { _, range in
    for p in range {
      let dx = gradInput + p * HW, dy = gradOutput + p * OHW
      dx.update(repeating: 0, count: HW)
      for oy in 0..<outHeight {
        let (r0, r1, a0, a1) = rows[oy]
        let d0 = dx + r0 * width, d1 = dx + r1 * width, src = dy + oy * outWidth
        for ox in 0..<outWidth {
          let (c0, c1, b0, b1) = cols[ox]
          let g = src[ox]
          d0[c0] += a0 * b0 * g; d0[c1] += a0 * b1 * g
          d1[c0] += a1 * b0 * g; d1[c1] += a1 * b1 * g
        }
      }
    }
  }
}
