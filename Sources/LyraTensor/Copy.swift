import Foundation

/// Copies elements between two same-shaped strided layouts as bit patterns (so int32 data survives).
func copyStrided(dst: UnsafeMutablePointer<UInt32>, dstStrides: [Int],
                 src: UnsafePointer<UInt32>, srcStrides: [Int], shape: [Int]) {
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
    copyStrided(dst: out.bitData, dstStrides: out.strides, src: bitData, srcStrides: strides, shape: shape)
    return out
  }

  /// A copy that owns its storage (PyTorch's `clone`), recorded on the tape.
  public func clone() -> Tensor {
    contiguousCopy().recorded("clone", [self]) { g in [g] }
  }

  /// Copies `src` (broadcast to self's shape) into self in place; not recorded.
  @discardableResult
  public func copy_(_ src: Tensor) -> Tensor {
    precondition(Shape.broadcast(shape, src.shape) == shape,
                 "Tensor.copy_: shape \(Shape.describe(src.shape)) does not broadcast to \(Shape.describe(shape))")
    precondition(dtype == src.dtype, "Tensor.copy_: dtype \(src.dtype) differs from \(dtype)")
    copyStrided(dst: bitData, dstStrides: strides, src: src.bitData,
                srcStrides: broadcastStrides(src, to: shape), shape: shape)
    return self
  }

  /// The tensor converted to another element type (a copy unless it already has it).
  public func to(_ type: DType) -> Tensor {
    if type == dtype { return self }
    let c = contiguous()
    let out = Tensor(uninitializedShape: shape, dtype: type)
    let n = count
    if type == .float32 {
      let s = c.intData, d = out.data
      for i in 0..<n { d[i] = Float(s[i]) }
    } else {
      let s = c.data, d = out.intData
      for i in 0..<n { d[i] = int32Saturating(s[i]) }
    }
    return out
  }

  /// As float32 (`tensor:float()`).
  public func float() -> Tensor { to(.float32) }
  /// As int32 indices (`tensor:int()`, `tensor:long()`), truncating toward zero.
  public func int() -> Tensor { to(.int32) }
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
