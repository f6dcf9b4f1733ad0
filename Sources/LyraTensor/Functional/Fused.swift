import LyraKernels

/// Fused ops that `Sequential` runs for common layer patterns (ResNet's `ReLU(body + shortcut)`,
/// eval-mode conv → BN → ReLU): one sweep over the activations instead of two or three.
extension Tensor {
  /// relu(a + b) for same-shaped tensors, in one pass; backward masks the gradient by the output.
  public static func addRelu(_ a: Tensor, _ b: Tensor) -> Tensor {
    a.requireFloat("Tensor.addRelu")
    b.requireFloat("Tensor.addRelu")
    guard a.shape == b.shape, a.isContiguous, b.isContiguous else { return (a + b).relu() }
    let out = Tensor(uninitializedShape: a.shape)
    let n = a.count
    let pa = UnsafePointer(a.data), pb = UnsafePointer(b.data), po = out.data
    Parallel.forRange(n, work: n * 3) { r in
      var i = r.lowerBound
      let zero = SIMD16<Float>()
      while i + 16 <= r.upperBound {
        let v = UnsafeRawPointer(pa + i).loadUnaligned(as: SIMD16<Float>.self)
          + UnsafeRawPointer(pb + i).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(po + i).storeBytes(of: v.replacing(with: zero, where: v .< zero), as: SIMD16<Float>.self)
        i += 16
      }
      while i < r.upperBound { po[i] = Swift.max(pa[i] + pb[i], 0); i += 1 }
    }
    guard needsGrad(a, b) else { return out }
    let mask = out.detach()
    return out.recorded("add+relu", [a, b]) { g in
      let gc = g.contiguous()
      let dx = Tensor(uninitializedShape: mask.shape)
      let pg = UnsafePointer(gc.data), pm = UnsafePointer(mask.data), pd = dx.data
      Parallel.forRange(n, work: n * 3) { r in
        var i = r.lowerBound
        let zero = SIMD16<Float>()
        while i + 16 <= r.upperBound {
          let m = UnsafeRawPointer(pm + i).loadUnaligned(as: SIMD16<Float>.self)
          let v = UnsafeRawPointer(pg + i).loadUnaligned(as: SIMD16<Float>.self)
          UnsafeMutableRawPointer(pd + i).storeBytes(of: v.replacing(with: zero, where: m .<= zero), as: SIMD16<Float>.self)
          i += 16
        }
        while i < r.upperBound { pd[i] = pm[i] > 0 ? pg[i] : 0; i += 1 }
      }
      // The same gradient flows to both summands (autograd copies before accumulating).
      return [a.requiresGrad ? dx : nil, b.requiresGrad ? dx : nil]
    }
  }

  /// Eval-mode conv → BN (→ ReLU) without gradients: BN folded into the convolution's
  /// weights and bias, ReLU in the GEMM epilogue (LyraKernels `conv2dBatchNormEvalForward`).
  /// Falls back to the unfused ops when gradients are being recorded.
  public static func conv2dBatchNormEval(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?,
                                         stride: Window2d, padding: Window2d, dilation: Window2d, groups: Int,
                                         runningMean: Tensor, runningVar: Tensor, gamma: Tensor?, beta: Tensor?,
                                         eps: Float, relu: Bool) -> Tensor {
    var inputs = [x, weight]
    for t in [bias, gamma, beta] { if let t { inputs.append(t) } }
    if needsGrad(inputs) || x.rank != 4 || weight.rank != 4 {
      let y = conv2d(x, weight, bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
      return batchNorm(y, runningMean: runningMean, runningVar: runningVar, weight: gamma, bias: beta,
                       training: false, eps: eps, relu: relu)
    }
    let (s, out) = conv2dGeometry("Tensor.conv2dBatchNormEval", x, weight, stride: stride, padding: padding,
                                  dilation: dilation, groups: groups)
    let xc = x.contiguous(), wc = weight.contiguous()
    let rm = runningMean.contiguous(), rv = runningVar.contiguous()
    let g = gamma?.contiguous(), b = beta?.contiguous(), bc = bias?.contiguous()
    conv2dBatchNormEvalForward(s, input: xc.data, weight: wc.data, bias: bc.map { UnsafePointer($0.data) },
                               gamma: g.map { UnsafePointer($0.data) }, beta: b.map { UnsafePointer($0.data) },
                               runningMean: rm.data, runningVar: rv.data, eps: eps, output: out.data, relu: relu)
    return out
  }
}
