import LyraBase
import LyraKernels

extension Tensor {
  func poolShape(_ fn: String, kernel: Window2d, stride: Window2d?, padding: Window2d, dilation: Window2d = Window2d(1),
                 ceilMode: Bool) -> Pool2dShape {
    precondition(rank == 4, "\(fn): expected a 4-D NCHW input, got \(Shape.describe(shape))")
    requireFloat(fn)
    let st = stride ?? kernel
    let s = Pool2dShape(batch: shape[0], channels: shape[1], height: shape[2], width: shape[3],
                       kernelH: kernel.h, kernelW: kernel.w, strideH: st.h, strideW: st.w,
                       padH: padding.h, padW: padding.w, dilationH: dilation.h, dilationW: dilation.w, ceilMode: ceilMode)
    _ = trustedShape(fn) { try s.checkedOutputShape(checkAvailable: false) }
    return s
  }

  /// Max pooling; the backward pass routes each gradient to the arg-max of its window.
  public func maxPool2d(_ kernel: Window2d, stride: Window2d? = nil, padding: Window2d = Window2d(0),
                        dilation: Window2d = Window2d(1), ceilMode: Bool = false) -> Tensor {
    let s = poolShape("Tensor.maxPool2d", kernel: kernel, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    let xc = contiguous()
    let out = Tensor.empty([s.batch, s.channels, s.outHeight, s.outWidth])
    let needs = Tensor.needsGrad(self)
    let idx = needs ? Tensor.empty(out.shape, dtype: .int32) : nil
    maxPool2dForward(s, input: xc.data, output: out.data, indices: idx?.intData)
    guard let idx else { return out }
    let inShape = shape
    return out.recorded("maxPool2d", [self]) { g in
      let dx = Tensor.empty(inShape)
      maxPool2dBackward(s, gradOutput: g.contiguous().data, indices: idx.intData, gradInput: dx.data)
      return [dx]
    }
  }

  /// Average pooling (padding counted in the divisor, as PyTorch's default).
  public func avgPool2d(_ kernel: Window2d, stride: Window2d? = nil, padding: Window2d = Window2d(0),
                        ceilMode: Bool = false, countIncludePad: Bool = true) -> Tensor {
    let s = poolShape("Tensor.avgPool2d", kernel: kernel, stride: stride, padding: padding, ceilMode: ceilMode)
    let out = Tensor.empty([s.batch, s.channels, s.outHeight, s.outWidth])
    avgPool2dForward(s, input: contiguous().data, output: out.data, countIncludePad: countIncludePad)
    let inShape = shape
    return out.recorded("avgPool2d", [self]) { g in
      let dx = Tensor.empty(inShape)
      avgPool2dBackward(s, gradOutput: g.contiguous().data, gradInput: dx.data, countIncludePad: countIncludePad)
      return [dx]
    }
  }

  /// Adaptive average pooling to `outH`×`outW` (PyTorch's start/end windows).
  public func adaptiveAvgPool2d(_ outH: Int, _ outW: Int) -> Tensor {
    let (n, c, h, w, out) = resizedOutput("Tensor.adaptiveAvgPool2d", outH, outW, "adaptive pooling output")
    if outH == 1 && outW == 1 {
      globalAvgPoolForward(input: contiguous().data, output: out.data, batch: n, channels: c, plane: h * w)
    } else {
      adaptiveAvgPool2dForward(input: contiguous().data, output: out.data, batch: n, channels: c, height: h, width: w,
                               outHeight: outH, outWidth: outW)
    }
    let inShape = shape
    return out.recorded("adaptiveAvgPool2d", [self]) { g in
      let dx = Tensor.empty(inShape)
      adaptiveAvgPool2dBackward(gradOutput: g.contiguous().data, gradInput: dx.data, batch: n, channels: c,
                                height: h, width: w, outHeight: outH, outWidth: outW)
      return [dx]
    }
  }
}
