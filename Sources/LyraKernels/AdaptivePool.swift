/// Adaptive and global average pooling over NCHW (PyTorch's `AdaptiveAvgPool2d` and the
/// mean over H·W that ends ResNets).
///
/// Adaptive windows follow PyTorch's index formula: output o covers input
/// floor(o·in/out) ..< ceil((o+1)·in/out), so windows may overlap when in % out ≠ 0.
@inline(__always)
func adaptiveStart(_ o: Int, _ inSize: Int, _ outSize: Int) -> Int { (o * inSize) / outSize }
@inline(__always)
func adaptiveEnd(_ o: Int, _ inSize: Int, _ outSize: Int) -> Int { ((o + 1) * inSize + outSize - 1) / outSize }

/// input [batch, channels, height, width] → output [batch, channels, outHeight, outWidth].
public func adaptiveAvgPool2dForward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                                     batch: Int, channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int) {
  precondition(outHeight > 0 && outWidth > 0, "adaptiveAvgPool2d: output size must be positive")
  let planes = batch * channels, HW = height * width, OHW = outHeight * outWidth
  KernelParallel.forRanges(count: planes, work: planes * HW) { _, range in
    for p in range {
      let x = input + p * HW, y = output + p * OHW
      for oy in 0..<outHeight {
        let hs = adaptiveStart(oy, height, outHeight), he = adaptiveEnd(oy, height, outHeight)
        for ox in 0..<outWidth {
          let ws = adaptiveStart(ox, width, outWidth), we = adaptiveEnd(ox, width, outWidth)
          var sum: Float = 0
          for iy in hs..<he { for ix in ws..<we { sum += x[iy * width + ix] } }
          y[oy * outWidth + ox] = sum / Float((he - hs) * (we - ws))
        }
      }
    }
  }
}

/// gradInput (overwritten) from gradOutput of `adaptiveAvgPool2dForward`.
public func adaptiveAvgPool2dBackward(gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>,
                                      batch: Int, channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int) {
  let planes = batch * channels, HW = height * width, OHW = outHeight * outWidth
  KernelParallel.forRanges(count: planes, work: planes * HW) { _, range in
    for p in range {
      let dx = gradInput + p * HW, dy = gradOutput + p * OHW
      dx.update(repeating: 0, count: HW)
      for oy in 0..<outHeight {
        let hs = adaptiveStart(oy, height, outHeight), he = adaptiveEnd(oy, height, outHeight)
        for ox in 0..<outWidth {
          let ws = adaptiveStart(ox, width, outWidth), we = adaptiveEnd(ox, width, outWidth)
          let g = dy[oy * outWidth + ox] / Float((he - hs) * (we - ws))
          for iy in hs..<he { for ix in ws..<we { dx[iy * width + ix] += g } }
        }
      }
    }
  }
}

/// Global average pool: input [batch, channels, plane] → output [batch, channels]
/// (adaptive pooling to 1×1 without the window arithmetic).
public func globalAvgPoolForward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                                 batch: Int, channels: Int, plane: Int) {
  let planes = batch * channels
  let inv = 1 / Float(plane)
  KernelParallel.forRanges(count: planes, work: planes * plane) { _, range in
    for p in range {
      let x = input + p * plane
      var s: Float = 0
      var i = 0
      while i < plane { s += x[i]; i += 1 }
      output[p] = s * inv
    }
  }
}

/// gradInput (overwritten) [batch, channels, plane] = gradOutput[b, c] / plane.
public func globalAvgPoolBackward(gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>,
                                  batch: Int, channels: Int, plane: Int) {
  let planes = batch * channels
  let inv = 1 / Float(plane)
  KernelParallel.forRanges(count: planes, work: planes * plane) { _, range in
    for p in range { (gradInput + p * plane).update(repeating: gradOutput[p] * inv, count: plane) }
  }
}
