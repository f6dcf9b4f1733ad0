import Foundation

/// Copies elements between two same-shaped strided layouts as bit patterns (so every dtype
/// survives: `T` is the unsigned integer of the element's size).
func copyStrided<T>(dst: UnsafeMutablePointer<T>, dstStrides: [Int],
                    src: UnsafePointer<T>, srcStrides: [Int], shape: [Int]) {
  if Shape.count(shape) == 0 { return }
  let L = Layout(shape: shape, strides: [dstStrides, srcStrides])
  let sd = L.strides[0].last!, ss = L.strides[1].last!
  L.forEachRun { row, lo, hi in
    let d = dst + L.rowOffset(row, 0), s = src + L.rowOffset(row, 1)
    if sd == 1 && ss == 1 {
      (d + lo).update(from: s + lo, count: hi - lo)
    } else if sd == 1 && ss == 0 {
      (d + lo).update(repeating: s[0], count: hi - lo)
    } else {
      for i in lo..<hi { d[i * sd] = s[i * ss] }
    }
  }
}

extension Tensor {
  /// A contiguous tensor with the same values: self when already contiguous, else a copy.
  public func contiguous() -> Tensor {
    if isContiguous { return self }
    return contiguousCopy().recorded("contiguous", [self]) { g in [g] }
  }

  /// Always a fresh contiguous copy, not recorded.
  func contiguousCopy() -> Tensor {
    let out = Tensor(uninitializedShape: shape, dtype: dtype)
    out.copyElements(from: self, srcStrides: strides)
    return out
  }

  /// A copy that owns its storage (PyTorch's `clone`), recorded on the tape.
  public func clone() -> Tensor {
    contiguousCopy().recorded("clone", [self]) { g in [g] }
  }

  /// Copies `src` (broadcast to self's shape, converted to self's dtype) into self in place; not recorded.
  @discardableResult
  public func copy_(_ src: Tensor) -> Tensor {
    precondition(Shape.broadcast(shape, src.shape) == shape,
                 "Tensor.copy_: shape \(Shape.describe(src.shape)) does not broadcast to \(Shape.describe(shape))")
    let src = src.dtype == dtype ? src : src.to(dtype)
    copyElements(from: src, srcStrides: broadcastStrides(src, to: shape))
    return self
  }

  /// Copies `src` (same dtype, laid out by `srcStrides` over self's shape) into self's layout.
  func copyElements(from src: Tensor, srcStrides: [Int]) {
    switch dtype.size {
    case 4: copyStrided(dst: bitData, dstStrides: strides, src: src.bitData, srcStrides: srcStrides, shape: shape)
    case 8: copyStrided(dst: elements(UInt64.self), dstStrides: strides, src: src.elements(UInt64.self), srcStrides: srcStrides, shape: shape)
    default: copyStrided(dst: elements(UInt8.self), dstStrides: strides, src: src.elements(UInt8.self), srcStrides: srcStrides, shape: shape)
    }
  }
}

/// A float as int32, truncated toward zero; NaN becomes 0 and values beyond the range the
/// nearest bound. Why total: `Int32(Float)` traps on those, and a value read from a file or
/// computed by a user must not crash the process (PyTorch leaves them undefined; the Lua
/// `x:int()` refuses them with an error before getting here).
@inline(__always)
public func int32Saturating(_ v: Float) -> Int32 {
  if v.isNaN { return 0 }
  if v >= 2_147_483_520 { return v >= 2_147_483_648 ? Int32.max : Int32(v) }
  if v <= -2_147_483_648 { return Int32.min }
  return Int32(v)
}
