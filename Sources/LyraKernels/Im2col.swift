/// im2col / col2im: the lowering that turns a convolution into a matrix product.
///
/// For one image and a run of `channels` input channels, im2col writes the matrix
/// col[(c·kH + i)·kW + j, oy·outW + ox] = x[c, oy·sH − pH + i·dH, ox·sW − pW + j·dW]
/// (zero where that falls in the padding). Then conv = W[Cout, K] · col[K, outH·outW].
/// `ldCol` is the row stride of col, so several images can sit side by side in one
/// wide matrix (one bigger GEMM instead of many small ones).
enum Im2col {
  // Inline SIMD moves for the short rows (a plane's width, often < 64 floats) the
  // lowering copies: a `memmove`/`memset` call per 28-float row costs more than the copy.

  /// dst[0..<n] = src[0..<n] (no overlap).
  @inline(__always)
  static func copyFloats(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int) {
    let d = UnsafeMutableRawPointer(dst), s = UnsafeRawPointer(src)
    var i = 0
    while i + 16 <= n {
      d.storeBytes(of: s.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self), toByteOffset: i * 4, as: SIMD16<Float>.self)
      i += 16
    }
    if i + 8 <= n {
      d.storeBytes(of: s.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self), toByteOffset: i * 4, as: SIMD8<Float>.self)
      i += 8
    }
    if i + 4 <= n {
      d.storeBytes(of: s.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<Float>.self), toByteOffset: i * 4, as: SIMD4<Float>.self)
      i += 4
    }
    while i < n { dst[i] = src[i]; i += 1 }
  }

  /// dst[0..<n] = 0.
  @inline(__always)
  static func zeroFloats(_ dst: UnsafeMutablePointer<Float>, _ n: Int) {
    let d = UnsafeMutableRawPointer(dst)
    var i = 0
    while i + 16 <= n { d.storeBytes(of: SIMD16<Float>(), toByteOffset: i * 4, as: SIMD16<Float>.self); i += 16 }
    if i + 8 <= n { d.storeBytes(of: SIMD8<Float>(), toByteOffset: i * 4, as: SIMD8<Float>.self); i += 8 }
    while i < n { dst[i] = 0; i += 1 }
  }

  /// dst[0..<n] += src[0..<n] (no overlap).
  @inline(__always)
  static func addFloats(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int) {
    let d = UnsafeMutableRawPointer(dst), s = UnsafeRawPointer(src)
    var i = 0
    while i + 16 <= n {
      let v = d.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self) + s.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
      d.storeBytes(of: v, toByteOffset: i * 4, as: SIMD16<Float>.self)
      i += 16
    }
    if i + 8 <= n {
      let v = d.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) + s.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
      d.storeBytes(of: v, toByteOffset: i * 4, as: SIMD8<Float>.self)
      i += 8
    }
    while i < n { dst[i] += src[i]; i += 1 }
  }

  /// First and last+1 output index whose input index o·stride + offset lies in 0..<size.
  @inline(__always)
  static func validRange(offset: Int, stride: Int, size: Int, outSize: Int) -> (Int, Int) {
    let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
    let last = size - 1 - offset
    let hi = last < 0 ? 0 : min(outSize, last / stride + 1)
    return (min(lo, hi), hi)
  }

  /// One kernel tap (i, j) of a convolution: its index i·kW + j in a weight row, where it
  /// reads relative to an output position (input row oy·strideH + offH, column
  /// ox·strideW + offW), and the outputs whose reads fall inside the input (rows
  /// rowLo..<rowHi, columns colLo..<colHi).
  struct Tap {
    var index: Int, offH: Int, offW: Int, rowLo: Int, rowHi: Int, colLo: Int, colHi: Int
  }

  /// Calls `body` for every tap in row-major order: the one tap walk of the depthwise
  /// kernels and of `raise`. Per tap, not per element, so the loops inside `body` stay
  /// specialised (the closure is inlined at each call site).
  @inline(__always)
  static func forEachTap(_ s: Conv2dShape, _ body: (Tap) -> Void) {
    let H = s.height, W = s.width, OH = s.outHeight, OW = s.outWidth
    for i in 0..<s.kernelH {
      let offH = i * s.dilationH - s.padH
      let (rowLo, rowHi) = validRange(offset: offH, stride: s.strideH, size: H, outSize: OH)
      for j in 0..<s.kernelW {
        let offW = j * s.dilationW - s.padW
        let (colLo, colHi) = validRange(offset: offW, stride: s.strideW, size: W, outSize: OW)
        body(Tap(index: i * s.kernelW + j, offH: offH, offW: offW, rowLo: rowLo, rowHi: rowHi, colLo: colLo, colHi: colHi))
      }
    }
  }

  /// Zeroes dst[0..<n] for the few-float edges of a padded row: plain stores, not a
  /// `memset` call (which LLVM makes of a zeroing loop, and which costs more than 1–4 stores).
  @inline(__always)
  static func zeroEdge(_ dst: UnsafeMutablePointer<Float>, _ n: Int) {
    if n <= 0 { return }
    dst[0] = 0
    if n == 1 { return }
    dst[1] = 0
    if n == 2 { return }
    dst[2] = 0
    if n == 3 { return }
    dst[3] = 0
    if n > 4 { (dst + 4).update(repeating: 0, count: n - 4) }
  }

  /// `lower` for stride 1 with outWidth == width (a "same" convolution, e.g. 3×3 pad 1):
  /// each column row is then the image plane shifted by a constant, so it is one long
  /// copy plus zeroed top/bottom rows and 1–2 zeroed floats at each row's edges, instead
  /// of a short copy per output row.
  @inline(__always)
  static func lowerSame(_ s: Conv2dShape, image x: UnsafePointer<Float>, channels: Int,
                        col: UnsafeMutablePointer<Float>, ldCol: Int) {
    let H = s.height, W = s.width, OH = s.outHeight, OW = s.outWidth
    let kH = s.kernelH, kW = s.kernelW
    for c in 0..<channels {
      let plane = x + c * H * W
      for i in 0..<kH {
        let offH = i * s.dilationH - s.padH
        let (oyLo, oyHi) = validRange(offset: offH, stride: 1, size: H, outSize: OH)
        for j in 0..<kW {
          let row = col + ((c * kH + i) * kW + j) * ldCol
          let offW = j * s.dilationW - s.padW
          let (lo, hi) = validRange(offset: offW, stride: 1, size: W, outSize: OW)
          if oyLo >= oyHi || lo >= hi {
            row.update(repeating: 0, count: OH * OW)
            continue
          }
          if oyLo > 0 { row.update(repeating: 0, count: oyLo * OW) }
          if oyHi < OH { (row + oyHi * OW).update(repeating: 0, count: (OH - oyHi) * OW) }
          let first = oyLo * OW + lo, end = (oyHi - 1) * OW + hi
          (row + first).update(from: plane + (offH * W + offW) + first, count: end - first)
          let right = OW - hi
          var oy = oyLo
          while oy < oyHi {
            zeroEdge(row + oy * OW, lo)
            zeroEdge(row + oy * OW + hi, right)
            oy += 1
          }
        }
      }
    }
  }

  @inline(__always)
  static func lower(_ s: Conv2dShape, image x: UnsafePointer<Float>, channels: Int,
                    col: UnsafeMutablePointer<Float>, ldCol: Int) {
    if s.strideH == 1 && s.strideW == 1 && s.outWidth == s.width {
      lowerSame(s, image: x, channels: channels, col: col, ldCol: ldCol)
      return
    }
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
              zeroFloats(dst, OW)
              continue
            }
            zeroEdge(dst, lo)
            let src = plane + iy * W + offW
            if sW == 1 {
              copyFloats(dst + lo, src + lo, hi - lo)
            } else {
              var ox = lo
              while ox < hi { dst[ox] = src[ox * sW]; ox += 1 }
            }
            zeroEdge(dst + hi, OW - hi)
          }
        }
      }
    }
  }

  /// The adjoint of `lower`: accumulates col back into the image (which the caller zeroes).
  @inline(__always)
  static func raise(_ s: Conv2dShape, col: UnsafePointer<Float>, ldCol: Int, channels: Int,
                    image dx: UnsafeMutablePointer<Float>) {
    let H = s.height, W = s.width, OW = s.outWidth
    let taps = s.kernelH * s.kernelW, sH = s.strideH, sW = s.strideW
    for c in 0..<channels {
      let plane = dx + c * H * W
      forEachTap(s) { t in
        let row = col + (c * taps + t.index) * ldCol
        let lo = t.colLo, hi = t.colHi
        if lo >= hi { return }
        var oy = t.rowLo
        while oy < t.rowHi {
          let src = row + oy * OW
          let dst = plane + (oy * sH + t.offH) * W + t.offW
          if sW == 1 {
            addFloats(dst + lo, src + lo, hi - lo)
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
