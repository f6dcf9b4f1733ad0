import LyraTensor

/// Quantisation-aware training ops: the forward pass sees quantised values, the backward
/// pass treats rounding as the identity — the straight-through estimator (Bengio, Léonard
/// and Courville, "Estimating or Propagating Gradients Through Stochastic Neurons for
/// Conditional Computation", 2013), as Jacob et al. (CVPR 2018) train with.
///
/// How, without a new autograd node: the output is `x + d` where `d = q(x) − x` is a
/// constant (computed without recording). Its forward value is q(x) and its gradient with
/// respect to x is exactly the incoming gradient.
enum FakeQuant {
  /// `w` fake-quantised per output channel; gradients pass straight through to `w`.
  static func weight(_ w: Tensor, bits: Int) -> Tensor {
    let v = w.contiguous().toArray()
    let q = QuantScheme.fakeQuantize(v, rows: w.shape[0], bits: bits)
    guard Tensor.isGradEnabled && w.requiresGrad else { return Tensor(q, shape: w.shape) }
    var d = q
    for i in d.indices { d[i] -= v[i] }
    return w + Tensor(d, shape: w.shape)
  }

  /// `x` fake-quantised to `bits` unsigned levels over the range in `range` ([lo, hi]).
  ///
  /// In training the range follows the batch's min/max by an exponential moving average
  /// (the first batch sets it), as Jacob et al. §3; in evaluation it is fixed (a layer
  /// never calibrated uses the batch's own range). The gradient passes where x lies
  /// inside the representable range and is zero outside it (the clipped STE).
  static func activation(_ x: Tensor, range: Tensor, bits: Int, training: Bool, momentum: Float = 0.1) -> Tensor {
    let xc = x.contiguous()
    let n = xc.count, p = xc.data, r = range.data
    let calibrated = r[0] != r[1]
    if training || !calibrated {
      var lo = Float.infinity, hi = -Float.infinity
      for i in 0..<n {
        lo = Swift.min(lo, p[i])
        hi = Swift.max(hi, p[i])
      }
      if n == 0 { (lo, hi) = (0, 0) }
      if training {
        if calibrated {
          r[0] += momentum * (lo - r[0])
          r[1] += momentum * (hi - r[1])
        } else {
          (r[0], r[1]) = (lo, hi)
        }
      }
      if !calibrated && !training { return quantized(x, lo: lo, hi: hi, bits: bits) }
    }
    return quantized(x, lo: r[0], hi: r[1], bits: bits)
  }

  private static func quantized(_ x: Tensor, lo: Float, hi: Float, bits: Int) -> Tensor {
    let (s, z) = QuantScheme.affineParameters(lo: lo, hi: hi, bits: bits)
    let levels = Float((1 << bits) - 1)
    let clipped = x.clamp(min: -z * s, max: (levels - z) * s)
    let c = clipped.contiguous()
    let out = Tensor.empty(c.shape)
    out.data.update(from: c.data, count: c.count)
    QuantScheme.fakeQuantizeAffine(out.data, count: out.count, scale: s, zeroPoint: z, bits: bits)
    guard Tensor.isGradEnabled && clipped.requiresGrad else { return out }
    let d = out.data
    let cp = c.data
    for i in 0..<out.count { d[i] -= cp[i] }
    return clipped + out
  }
}
