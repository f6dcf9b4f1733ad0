/// Element tests (isnan, isinf, isfinite: 0/1 float masks, no gradient) and whole-tensor
/// comparisons (allclose, equal: booleans), with PyTorch's names and defaults.
extension Tensor {
  /// 1 where an element is NaN.
  public func isnan() -> Tensor { mask("isnan") { $0.isNaN } }
  /// 1 where an element is +inf or -inf.
  public func isinf() -> Tensor { mask("isinf") { $0.isInfinite } }
  /// 1 where an element is neither NaN nor infinite.
  public func isfinite() -> Tensor { mask("isfinite") { $0.isFinite } }

  func mask(_ name: String, _ test: (Float) -> Bool) -> Tensor {
    let c = (dtype == .float32 ? self : float()).contiguous()
    let out = Tensor(uninitializedShape: shape)
    for i in 0..<c.count { out.data[i] = test(c.data[i]) ? 1 : 0 }
    return out
  }

  /// Whether |self - other| <= atol + rtol * |other| everywhere (broadcasting; NaN is
  /// never close), `torch.allclose`. The shapes must broadcast.
  public func allclose(_ other: Tensor, rtol: Float = 1e-5, atol: Float = 1e-8) -> Bool {
    guard let s = Shape.broadcast(shape, other.shape) else { preconditionFailure("Tensor.allclose: shapes do not broadcast") }
    let a = (dtype == .float32 ? self : float()).expand(s).contiguous()
    let b = (other.dtype == .float32 ? other : other.float()).expand(s).contiguous()
    for i in 0..<a.count {
      let x = a.data[i], y = b.data[i]
      // Equal infinities are close (their difference is NaN); other infinities never are
      // (rtol * inf would admit anything, -inf included).
      if x == y { continue }
      if x.isInfinite || y.isInfinite || !(Swift.abs(x - y) <= atol + rtol * Swift.abs(y)) { return false }
    }
    return true
  }

  /// Whether both have the same shape and the same values (`torch.equal`; NaN differs).
  public func equal(_ other: Tensor) -> Bool {
    guard shape == other.shape else { return false }
    let a = toArray(), b = other.toArray()
    return a == b
  }
}
