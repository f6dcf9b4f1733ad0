/// In-place updates (optimisers, initialisers, gradient accumulation).
///
/// They are not recorded on the tape; on a tensor that requires grad they are allowed
/// only inside `Tensor.noGrad` (as in PyTorch), since the tape may hold its old values.
extension Tensor {
  func checkInPlace(_ fn: String) {
    precondition(!(requiresGrad && Tensor.isGradEnabled),
                 "\(fn): in-place update of a tensor that requires grad; wrap it in Tensor.noGrad")
  }

  /// self += other (broadcast).
  @discardableResult public func add_(_ other: Tensor) -> Tensor { checkInPlace("Tensor.add_"); applyBinary_(other, "Tensor.add_", FAdd()); return self }
  /// self += alpha * other (broadcast), PyTorch's `add_(other, alpha=)`.
  @discardableResult public func add_(_ other: Tensor, alpha: Float) -> Tensor { checkInPlace("Tensor.add_"); applyBinary_(other, "Tensor.add_", FAxpy(alpha: alpha)); return self }
  /// self -= other.
  @discardableResult public func sub_(_ other: Tensor) -> Tensor { checkInPlace("Tensor.sub_"); applyBinary_(other, "Tensor.sub_", FSub()); return self }
  /// self *= other.
  @discardableResult public func mul_(_ other: Tensor) -> Tensor { checkInPlace("Tensor.mul_"); applyBinary_(other, "Tensor.mul_", FMul()); return self }
  /// self /= other.
  @discardableResult public func div_(_ other: Tensor) -> Tensor { checkInPlace("Tensor.div_"); applyBinary_(other, "Tensor.div_", FDiv()); return self }
  /// self += s.
  @discardableResult public func add_(_ s: Float) -> Tensor { checkInPlace("Tensor.add_"); applyUnary_(FAffine(scale: 1, shift: s)); return self }
  /// self -= s.
  @discardableResult public func sub_(_ s: Float) -> Tensor { checkInPlace("Tensor.sub_"); applyUnary_(FAffine(scale: 1, shift: -s)); return self }
  /// self *= s.
  @discardableResult public func mul_(_ s: Float) -> Tensor { checkInPlace("Tensor.mul_"); applyUnary_(FAffine(scale: s, shift: 0)); return self }
  /// self /= s.
  @discardableResult public func div_(_ s: Float) -> Tensor { checkInPlace("Tensor.div_"); applyUnary_(FAffine(scale: 1 / s, shift: 0)); return self }
  /// Every element set to `value`.
  @discardableResult public func fill_(_ value: Float) -> Tensor {
    checkInPlace("Tensor.fill_")
    if dtype != .float32 { return copy_(Tensor.full([], value, dtype: dtype)) }
    applyUnary_(FFill(v: value))
    return self
  }
  /// Every element set to 0.
  @discardableResult public func zero_() -> Tensor { fill_(0) }
  /// self = min(max(self, lo), hi).
  @discardableResult public func clamp_(min lo: Float = -.infinity, max hi: Float = .infinity) -> Tensor {
    checkInPlace("Tensor.clamp_")
    applyUnary_(FClamp(lo: lo, hi: hi))
    return self
  }
}
