/// im2col / col2im: the lowering that turns a convolution into a matrix product.
///
/// For one image and a run of `channels` input channels, im2col writes the matrix
/// col[(c·kH + i)·kW + j, oy·outW + ox] = x[c, oy·sH − pH + i·dH, ox·sW − pW + j·dW]
/// (zero where that falls in the padding). Then conv = W[Cout, K] · col[K, outH·outW].
/// `ldCol` is the row stride of col, so several images can sit side by side in one
/// wide matrix (one bigger GEMM instead of many small ones).
enum Im2col {
  /// First and last+1 output index whose input index o·stride + offset lies in 0..<size.
  @inline(__always)
  static func validRange(offset: Int, stride: Int, size: Int, outSize: Int) -> (Int, Int) {
    let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
    let last = size - 1 - offset
    let hi = last < 0 ? 0 : min(outSize, last / stride + 1)
    return (min(lo, hi), hi)
  }

  @inline(__always)
  static func lower(_ s: Conv2dShape, image x: UnsafePointer<Float>, channels: Int,
                    col: UnsafeMutablePointer<Float>, ldCol: Int) {
    let H = s.height, W = s.width, OH = s.outHeight, OW = s.outWidth
    let kH = s.kernelH, kW = s.kernelW, sH = s.strideH, sW = s.strideW
    for c in 0..<channels {
      let plane = x + c * H * W
      for i in 0..<kH {
        let offH = i * s.dilationH - s.padH
        for j in 0..<kW {
          let row = col + ((c * kH + i) * kW + j) * ldCol
          let offW = j * s.dilationW - s.padW
          let (lo, hi) = validRange(offset: offW, stride: sW, size: W, outSize: OW)
          for oy in 0..<OH {
            let dst = row + oy * OW
            let iy = oy * sH + offH
            if iy < 0 || iy >= H {
              dst.update(repeating: 0, count: OW)
              continue
            }
            if lo > 0 { dst.update(repeating: 0, count: lo) }
            let src = plane + iy * W + offW
            if sW == 1 {
              (dst + lo).update(from: src + lo, count: hi - lo)
            } else {
              var ox = lo
              while ox < hi { dst[ox] = src[ox * sW]; ox += 1 }
            }
            if hi < OW { (dst + hi).update(repeating: 0, count: OW - hi) }
          }
        }
      }
    }
  }

  /// The adjoint of `lower`: accumulates col back into the image (which the caller zeroes).
  @inline(__always)
  static func raise(_ s: Conv2dShape, col: UnsafePointer<Float>, ldCol: Int, channels: Int,
                    image dx: UnsafeMutablePointer<Float>) {
    let H = s.height, W = s.width, OH = s.outHeight, OW = s.outWidth
    let kH = s.kernelH, kW = s.kernelW, sH = s.strideH, sW = s.strideW
    for c in 0..<channels {
      let plane = dx + c * H * W
      for i in 0..<kH {
        let offH = i * s.dilationH - s.padH
        let (oyLo, oyHi) = validRange(offset: offH, stride: sH, size: H, outSize: OH)
        for j in 0..<kW {
          let row = col + ((c * kH + i) * kW + j) * ldCol
          let offW = j * s.dilationW - s.padW
          let (lo, hi) = validRange(offset: offW, stride: sW, size: W, outSize: OW)
          if lo >= hi { continue }
          var oy = oyLo
          while oy < oyHi {
            let src = row + oy * OW
            let dst = plane + (oy * sH + offH) * W + offW
            if sW == 1 {
              var ox = lo
              while ox < hi { dst[ox] += src[ox]; ox += 1 }
            } else {
              var ox = lo
              while ox < hi { dst[ox * sW] += src[ox]; ox += 1 }
            }
            oy += 1
          }
        }
      }
    }
  }
}
