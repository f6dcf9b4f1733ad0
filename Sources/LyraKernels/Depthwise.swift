/// Direct depthwise convolution (groups == inChannels, with a channel multiplier
/// outChannels/inChannels). Why not im2col + GEMM: each group's GEMM would have
/// K = kH·kW (9) and M = the multiplier (often 1), so BLAS would run at a few percent of
/// peak while im2col copies the input kH·kW times. A direct loop reads each input row
/// once per tap, with the inner loop over contiguous output columns.
enum Depthwise {
  static func forward(_ s: Conv2dShape, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                      output: UnsafeMutablePointer<Float>) {
    let H = s.height, W = s.width, OH = s.outHeight, OW = s.outWidth
    let kH = s.kernelH, kW = s.kernelW
    let mult = s.outChannels / s.inChannels
    let planes = s.batch * s.outChannels
    KernelParallel.forRanges(count: planes, work: s.macs) { _, range in
      for p in range {
        let b = p / s.outChannels, oc = p % s.outChannels, ic = oc / mult
        let x = input + (b * s.inChannels + ic) * H * W
        let y = output + p * OH * OW
        y.update(repeating: 0, count: OH * OW)
        let w = weight + oc * kH * kW
        Im2col.forEachTap(s) { t in
          tapRows(s, t, weight: w[t.index], image: UnsafeMutablePointer(mutating: x), plane: y, scatter: false)
        }
      }
    }
  }

  /// One tap over its valid output rows: plane[oy, ox] += w · image[oy·sH + offH, ox·sW + offW]
  /// (the forward's gather), or with `scatter` image[…] += w · plane[oy, ox] (its adjoint,
  /// the input gradient). `scatter` is a literal at both call sites, so each inlined copy
  /// keeps only its own loops; the stride-1 loops stay separate (contiguous, vectorised).
  /// Nothing is written through the side that is only read.
  @inline(__always)
  static func tapRows(_ s: Conv2dShape, _ t: Im2col.Tap, weight wv: Float, image: UnsafeMutablePointer<Float>,
                      plane: UnsafeMutablePointer<Float>, scatter: Bool) {
    let W = s.width, OW = s.outWidth, sH = s.strideH, sW = s.strideW
    let lo = t.colLo, hi = t.colHi
    var oy = t.rowLo
    while oy < t.rowHi {
      let img = image + (oy * sH + t.offH) * W + t.offW
      let out = plane + oy * OW
      var ox = lo
      switch (scatter, sW == 1) {
      case (false, true): while ox < hi { out[ox] += wv * img[ox]; ox += 1 }
      case (false, false): while ox < hi { out[ox] += wv * img[ox * sW]; ox += 1 }
      case (true, true): while ox < hi { img[ox] += wv * out[ox]; ox += 1 }
      case (true, false): while ox < hi { img[ox * sW] += wv * out[ox]; ox += 1 }
      }
      oy += 1
    }
  }

  /// dx: each input plane gathers from its `mult` output planes; planes are disjoint, so
  /// the split over (batch, channel) needs no reduction.
  static func backwardInput(_ s: Conv2dShape, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                            gradInput: UnsafeMutablePointer<Float>) {
    let H = s.height, W = s.width, OH = s.outHeight, OW = s.outWidth
    let kH = s.kernelH, kW = s.kernelW
    let mult = s.outChannels / s.inChannels
    let planes = s.batch * s.inChannels
    KernelParallel.forRanges(count: planes, work: s.macs) { _, range in
      for p in range {
        let b = p / s.inChannels, ic = p % s.inChannels
        let dx = gradInput + p * H * W
        dx.update(repeating: 0, count: H * W)
        for oc in (ic * mult)..<((ic + 1) * mult) {
          let dy = gradOutput + (b * s.outChannels + oc) * OH * OW
          let w = weight + oc * kH * kW
          Im2col.forEachTap(s) { t in
            tapRows(s, t, weight: w[t.index], image: dx, plane: UnsafeMutablePointer(mutating: dy), scatter: true)
          }
        }
      }
    }
  }

  /// dW[oc, i, j] = Σ_b Σ_(oy,ox) dy[b, oc, oy, ox] · x[b, ic, …]; split over output
  /// channels (disjoint weight rows).
  static func backwardWeight(_ s: Conv2dShape, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                             gradWeight: UnsafeMutablePointer<Float>, accumulate: Bool) {
    let H = s.height, W = s.width, OH = s.outHeight, OW = s.outWidth
    let kH = s.kernelH, kW = s.kernelW, sH = s.strideH, sW = s.strideW
    let mult = s.outChannels / s.inChannels
    KernelParallel.forRanges(count: s.outChannels, work: s.macs) { _, range in
      for oc in range {
        let ic = oc / mult
        let w = gradWeight + oc * kH * kW
        Im2col.forEachTap(s) { t in
          let lo = t.colLo, hi = t.colHi
          var acc: Float = 0
          for b in 0..<s.batch {
            let x = input + (b * s.inChannels + ic) * H * W
            let dy = gradOutput + (b * s.outChannels + oc) * OH * OW
            var oy = t.rowLo
            while oy < t.rowHi {
              let src = x + (oy * sH + t.offH) * W + t.offW
              let g = dy + oy * OW
              var ox = lo
              var rowAcc: Float = 0
              if sW == 1 {
                while ox < hi { rowAcc += g[ox] * src[ox]; ox += 1 }
              } else {
                while ox < hi { rowAcc += g[ox] * src[ox * sW]; ox += 1 }
              }
              acc += rowAcc
              oy += 1
            }
          }
          w[t.index] = accumulate ? w[t.index] + acc : acc
        }
      }
    }
  }
}
