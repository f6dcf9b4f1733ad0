import CKernels
/// Max and average pooling over NCHW, with PyTorch's `MaxPool2d` / `AvgPool2d` semantics.
///
/// Every (image, channel) plane is independent, so the work splits over planes with no
/// reduction. Max pool records, per output, the flat index (iy·W + ix) of the winning
/// input within its plane — PyTorch's `return_indices` convention — and its backward
/// scatters through those indices. The 2×2 stride-2 case (the CNN's pools) has its own
/// loop; it is memory-bound, and PyTorch spends 31–46% of the CNN's time there.
public struct Pool2dShape: Equatable, Sendable {
  public var batch: Int
  public var channels: Int
  public var height: Int
  public var width: Int
  public var kernelH: Int
  public var kernelW: Int
  public var strideH: Int
  public var strideW: Int
  public var padH: Int
  public var padW: Int
  /// Max pool only (average pooling has no dilation in PyTorch).
  public var dilationH: Int
  public var dilationW: Int
  public var ceilMode: Bool

  public init(batch: Int, channels: Int, height: Int, width: Int, kernelH: Int, kernelW: Int,
              strideH: Int, strideW: Int, padH: Int = 0, padW: Int = 0,
              dilationH: Int = 1, dilationW: Int = 1, ceilMode: Bool = false) {
    self.batch = batch; self.channels = channels; self.height = height; self.width = width
    self.kernelH = kernelH; self.kernelW = kernelW; self.strideH = strideH; self.strideW = strideW
    self.padH = padH; self.padW = padW; self.dilationH = dilationH; self.dilationW = dilationW; self.ceilMode = ceilMode
  }

  /// Square convenience; stride defaults to the kernel size, as in PyTorch.
  public init(batch: Int, channels: Int, height: Int, width: Int, kernel: Int, stride: Int? = nil,
              padding: Int = 0, dilation: Int = 1, ceilMode: Bool = false) {
    self.init(batch: batch, channels: channels, height: height, width: width, kernelH: kernel, kernelW: kernel,
              strideH: stride ?? kernel, strideW: stride ?? kernel, padH: padding, padW: padding,
              dilationH: dilation, dilationW: dilation, ceilMode: ceilMode)
  }

  /// PyTorch's `pooling_output_shape` (`SlidingWindow`).
  public var outHeight: Int {
    SlidingWindow.outputSize(height, kernel: kernelH, stride: strideH, padding: padH, dilation: dilationH, ceil: ceilMode)
  }
  public var outWidth: Int {
    SlidingWindow.outputSize(width, kernel: kernelW, stride: strideW, padding: padW, dilation: dilationW, ceil: ceilMode)
  }
  public var inputCount: Int { batch * channels * height * width }
  public var outputCount: Int { batch * channels * outHeight * outWidth }

  func validate() {
    precondition(kernelH > 0 && kernelW > 0 && strideH > 0 && strideW > 0 && dilationH > 0 && dilationW > 0,
                 "Pool2dShape: kernel, stride and dilation must be positive")
    precondition(padH >= 0 && padW >= 0 && 2 * padH <= kernelH && 2 * padW <= kernelW,
                 "Pool2dShape: padding must be at most half the kernel (as PyTorch)")
    precondition(outHeight > 0 && outWidth > 0, "Pool2dShape: output would be empty")
  }
}

/// Max pooling forward. `indices` (same count as output) receives each output's argmax
/// as a flat index within its input plane; pass nil in inference to skip it.
public func maxPool2dForward(_ s: Pool2dShape, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                             indices: UnsafeMutablePointer<Int32>?) {
  s.validate()
  let H = s.height, W = s.width, OH = s.outHeight, OW = s.outWidth
  let planes = s.batch * s.channels
  let simple2x2 = s.kernelH == 2 && s.kernelW == 2 && s.strideH == 2 && s.strideW == 2 && s.padH == 0 && s.padW == 0
    && s.dilationH == 1 && s.dilationW == 1 && 2 * OH <= H && 2 * OW <= W
  KernelParallel.forRanges(count: planes, work: planes * H * W) { _, range in
    for p in range {
      let x = input + p * H * W, y = output + p * OH * OW
      let ind = indices.map { $0 + p * OH * OW }
      if simple2x2 {
        if lyra_maxpool2x2_plane(x, y, ind, W, OH, OW) == 0 { maxPool2x2Plane(x, y, ind, W: W, OH: OH, OW: OW) }
        continue
      }
      for oy in 0..<OH {
        var hs = oy * s.strideH - s.padH
        let he = min(hs + (s.kernelH - 1) * s.dilationH + 1, H)
        while hs < 0 { hs += s.dilationH }
        for ox in 0..<OW {
          var ws = ox * s.strideW - s.padW
          let we = min(ws + (s.kernelW - 1) * s.dilationW + 1, W)
          while ws < 0 { ws += s.dilationW }
          var best = -Float.infinity, bi = hs * W + ws
          var iy = hs
          while iy < he {
            var ix = ws
            while ix < we {
              let v = x[iy * W + ix]
              if v > best || v.isNaN { best = v; bi = iy * W + ix }
              ix += s.dilationW
            }
            iy += s.dilationH
          }
          y[oy * OW + ox] = best
          ind?[oy * OW + ox] = Int32(bi)
        }
      }
    }
  }
}

/// Max pooling backward: gradInput (overwritten) gets each gradOutput at its argmax.
public func maxPool2dBackward(_ s: Pool2dShape, gradOutput: UnsafePointer<Float>, indices: UnsafePointer<Int32>,
                              gradInput: UnsafeMutablePointer<Float>) {
  let HW = s.height * s.width, OHW = s.outHeight * s.outWidth
  let planes = s.batch * s.channels
  KernelParallel.forRanges(count: planes, work: planes * HW) { _, range in
    for p in range {
      let dx = gradInput + p * HW, dy = gradOutput + p * OHW, ind = indices + p * OHW
      dx.update(repeating: 0, count: HW)
      for o in 0..<OHW { dx[Int(ind[o])] += dy[o] }
    }
  }
}

/// The window rows/cols of average pool output o and its divisor, as PyTorch's
/// `avg_pool2d`: the divisor counts padded positions (up to size + pad) when
/// `countIncludePad`, else only real ones; `divisorOverride` replaces both.
@inline(__always)
func avgWindow(_ o: Int, stride: Int, pad: Int, kernel: Int, size: Int) -> (start: Int, end: Int, padded: Int) {
  let start = o * stride - pad
  let end = min(start + kernel, size + pad)
  return (max(start, 0), min(end, size), end - start)
}

/// Average pooling forward (dilation must be 1).
public func avgPool2dForward(_ s: Pool2dShape, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                             countIncludePad: Bool = true, divisorOverride: Int? = nil) {
  s.validate()
  precondition(s.dilationH == 1 && s.dilationW == 1, "avgPool2d: no dilation")
  let H = s.height, W = s.width, OH = s.outHeight, OW = s.outWidth
  let planes = s.batch * s.channels
  KernelParallel.forRanges(count: planes, work: planes * H * W) { _, range in
    for p in range {
      let x = input + p * H * W, y = output + p * OH * OW
      for oy in 0..<OH {
        let (hs, he, hp) = avgWindow(oy, stride: s.strideH, pad: s.padH, kernel: s.kernelH, size: H)
        for ox in 0..<OW {
          let (ws, we, wp) = avgWindow(ox, stride: s.strideW, pad: s.padW, kernel: s.kernelW, size: W)
          var sum: Float = 0
          for iy in hs..<max(hs, he) { for ix in ws..<max(ws, we) { sum += x[iy * W + ix] } }
          let div = divisorOverride ?? (countIncludePad ? hp * wp : (he - hs) * (we - ws))
          y[oy * OW + ox] = sum / Float(div)
        }
      }
    }
  }
}

/// Average pooling backward: gradInput (overwritten) spreads each gradOutput / divisor
/// over its window.
public func avgPool2dBackward(_ s: Pool2dShape, gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>,
                              countIncludePad: Bool = true, divisorOverride: Int? = nil) {
  s.validate()
  let H = s.height, W = s.width, OH = s.outHeight, OW = s.outWidth
  let planes = s.batch * s.channels
  KernelParallel.forRanges(count: planes, work: planes * H * W) { _, range in
    for p in range {
      let dx = gradInput + p * H * W, dy = gradOutput + p * OH * OW
      dx.update(repeating: 0, count: H * W)
      for oy in 0..<OH {
        let (hs, he, hp) = avgWindow(oy, stride: s.strideH, pad: s.padH, kernel: s.kernelH, size: H)
        for ox in 0..<OW {
          let (ws, we, wp) = avgWindow(ox, stride: s.strideW, pad: s.padW, kernel: s.kernelW, size: W)
          let div = divisorOverride ?? (countIncludePad ? hp * wp : (he - hs) * (we - ws))
          let g = dy[oy * OW + ox] / Float(div)
          for iy in hs..<max(hs, he) { for ix in ws..<max(ws, we) { dx[iy * W + ix] += g } }
        }
      }
    }
  }
}


/// One plane of 2×2 stride-2 max pooling on the portable and AVX2 paths (the AVX-512 path is
/// CKernels' pool2x2_avx512.c, 16 outputs per step with masked row tails), SIMD over 8 (then 4) outputs of a row: even and
/// odd input columns are split with `evenHalf`/`oddHalf`, and PyTorch's scan order (a
/// later value wins if greater or NaN) is kept with lane selects, indices included.
@inline(__always)
func maxPool2x2Plane(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ ind: UnsafeMutablePointer<Int32>?,
                     W: Int, OH: Int, OW: Int) {
  let lane8 = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14), lane4 = SIMD4<Int32>(0, 2, 4, 6)
  let w32 = Int32(W)
  for oy in 0..<OH {
    let r0 = x + 2 * oy * W, r1 = r0 + W
    let yr = y + oy * OW
    var ox = 0
    if let ind = ind {
      let ir = ind + oy * OW
      while ox + 8 <= OW {
        let t = UnsafeRawPointer(r0 + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
        let u = UnsafeRawPointer(r1 + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
        let a = t.evenHalf, b = t.oddHalf, c = u.evenHalf, d = u.oddHalf
        let i0 = SIMD8<Int32>(repeating: Int32(2 * oy * W + 2 * ox)) &+ lane8
        var best = a, bi = i0
        let tb = (b .> best) .| (b .!= b)
        best.replace(with: b, where: tb); bi.replace(with: i0 &+ 1, where: tb)
        let tc = (c .> best) .| (c .!= c)
        best.replace(with: c, where: tc); bi.replace(with: i0 &+ w32, where: tc)
        let td = (d .> best) .| (d .!= d)
        best.replace(with: d, where: td); bi.replace(with: i0 &+ (w32 + 1), where: td)
        UnsafeMutableRawPointer(yr + ox).storeBytes(of: best, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(ir + ox).storeBytes(of: bi, as: SIMD8<Int32>.self)
        ox += 8
      }
      while ox + 4 <= OW {
        let t = UnsafeRawPointer(r0 + 2 * ox).loadUnaligned(as: SIMD8<Float>.self)
        let u = UnsafeRawPointer(r1 + 2 * ox).loadUnaligned(as: SIMD8<Float>.self)
        let a = t.evenHalf, b = t.oddHalf, c = u.evenHalf, d = u.oddHalf
        let i0 = SIMD4<Int32>(repeating: Int32(2 * oy * W + 2 * ox)) &+ lane4
        var best = a, bi = i0
        let tb = (b .> best) .| (b .!= b)
        best.replace(with: b, where: tb); bi.replace(with: i0 &+ 1, where: tb)
        let tc = (c .> best) .| (c .!= c)
        best.replace(with: c, where: tc); bi.replace(with: i0 &+ w32, where: tc)
        let td = (d .> best) .| (d .!= d)
        best.replace(with: d, where: td); bi.replace(with: i0 &+ (w32 + 1), where: td)
        UnsafeMutableRawPointer(yr + ox).storeBytes(of: best, as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(ir + ox).storeBytes(of: bi, as: SIMD4<Int32>.self)
        ox += 4
      }
      while ox < OW {
        let a = r0[2 * ox], b = r0[2 * ox + 1], c = r1[2 * ox], d = r1[2 * ox + 1]
        let i0 = Int32(2 * oy * W + 2 * ox)
        var best = a, bi = i0
        let tb = b > best || b.isNaN; best = tb ? b : best; bi = tb ? i0 + 1 : bi
        let tc = c > best || c.isNaN; best = tc ? c : best; bi = tc ? i0 + w32 : bi
        let td = d > best || d.isNaN; best = td ? d : best; bi = td ? i0 + w32 + 1 : bi
        yr[ox] = best; ir[ox] = bi
        ox += 1
      }
    } else {
      // Without indices the value is all that matters: NaN must still propagate.
      while ox + 8 <= OW {
        let t = UnsafeRawPointer(r0 + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
        let u = UnsafeRawPointer(r1 + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
        var best = t.evenHalf
        let b = t.oddHalf, c = u.evenHalf, d = u.oddHalf
        best.replace(with: b, where: (b .> best) .| (b .!= b))
        best.replace(with: c, where: (c .> best) .| (c .!= c))
        best.replace(with: d, where: (d .> best) .| (d .!= d))
        UnsafeMutableRawPointer(yr + ox).storeBytes(of: best, as: SIMD8<Float>.self)
        ox += 8
      }
      while ox < OW {
        var best = r0[2 * ox]
        let b = r0[2 * ox + 1], c = r1[2 * ox], d = r1[2 * ox + 1]
        if b > best || b.isNaN { best = b }
        if c > best || c.isNaN { best = c }
        if d > best || d.isNaN { best = d }
        yr[ox] = best
        ox += 1
      }
    }
  }
}
