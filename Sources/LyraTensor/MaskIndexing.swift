/// Boolean-mask indexing: `x[mask]`, `x[mask] = v`, masked_fill, masked_select.
///
/// A mask is any tensor read as "non-zero is true": a bool tensor, or the 0/1 floats that
/// `gt`, `eq`, ... return. The mask broadcasts to the tensor's shape; the
/// selected elements are taken in row-major order, as PyTorch does.
extension Tensor {
  /// Row-major positions (0..<count) where `mask`, broadcast to this shape, is non-zero.
  func maskPositions(_ mask: Tensor, _ fn: String) -> [Int] {
    precondition(Shape.broadcast(shape, mask.shape) == shape,
                 "\(fn): mask \(Shape.describe(mask.shape)) does not broadcast to \(Shape.describe(shape))")
    let m = mask.detach().float().expand(shape).contiguousCopy()
    let p = m.data
    return (0..<count).filter { p[$0] != 0 }
  }

  /// The elements where `mask` is non-zero, as a 1-D tensor (PyTorch's `masked_select`,
  /// `x[mask]`). The gradient goes back to the selected positions.
  public func maskedSelect(_ mask: Tensor) -> Tensor {
    let picked = maskPositions(mask, "Tensor.masked_select")
    let c = detach().contiguous()
    let out = Tensor(uninitializedShape: [picked.count], dtype: dtype)
    out.pickElements(from: c, picked)
    let inShape = shape
    return out.recorded("masked_select", [self]) { g in [Tensor.addedAt(picked, g, shape: inShape)] }
  }

  /// A copy with `value` where `mask` (broadcast) is non-zero. The gradient passes where
  /// the mask is zero.
  public func maskedFill(_ mask: Tensor, _ value: Float) -> Tensor {
    let out = contiguousCopy()
    out.writeMasked(mask, value, "Tensor.masked_fill")
    let m = mask.detach().float().ne(Tensor(Float(0))).expand(shape).contiguous()
    return out.recorded("masked_fill", [self]) { g in [g.mapBinary(m, "masked_fill", FMulNot())] }
  }

  /// `value` written in place where `mask` (broadcast) is non-zero; not recorded.
  @discardableResult
  public func maskedFill_(_ mask: Tensor, _ value: Float) -> Tensor {
    checkInPlace("Tensor.masked_fill_")
    writeMasked(mask, value, "Tensor.masked_fill_")
    return self
  }

  /// `x[mask] = values` in place: the k-th selected element (row-major) gets `values[k]`;
  /// `values` has one element per selected position, or a single element for all.
  @discardableResult
  public func maskedPut_(_ mask: Tensor, _ values: Tensor) -> Tensor {
    checkInPlace("Tensor.masked_put_")
    writeMaskedValues(mask, values.to(dtype).contiguous(), "Tensor.masked_put_")
    return self
  }

  /// Stores `value` (as this tensor's dtype) at the masked positions.
  private func writeMasked(_ mask: Tensor, _ value: Float, _ fn: String) {
    writeMaskedValues(mask, Tensor.full([], value, dtype: dtype), fn)
  }

  /// Stores the elements of `v` (contiguous, this dtype) at the masked positions: one for all, or one per position.
  private func writeMaskedValues(_ mask: Tensor, _ v: Tensor, _ fn: String) {
    let picked = maskPositions(mask, fn)
    precondition(v.count == 1 || v.count == picked.count,
                 "\(fn): \(v.count) values for \(picked.count) selected positions")
    let offs = Tensor.coordinateOffsets(shape, strides)
    putElements(picked.map { offs[$0] }, from: v)
  }
}
