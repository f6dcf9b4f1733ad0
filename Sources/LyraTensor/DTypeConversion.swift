/// Conversions between every pair of dtypes (`x:float()`, `x:double()`, `x:long()`,
/// `x:int()`, `x:bool()`, `x:to(dtype)`), with PyTorch's rules: floats to integers truncate
/// toward zero, anything to bool is `!= 0` (NaN is true), int64 to int32 wraps (two's
/// complement, as PyTorch's cast does). Where PyTorch leaves the result undefined, Lyra is
/// total instead of trapping: NaN becomes 0 and ±inf or out-of-range floats the nearest
/// bound of the integer type.
extension Tensor {
  /// The tensor converted to another element type (self when it already has it). Not recorded.
  public func to(_ type: DType) -> Tensor {
    if type == dtype { return self }
    let c = contiguous()
    let out = Tensor(uninitializedShape: shape, dtype: type)
    let n = count
    switch type {
    case .float32: c.convertEach(into: out.data, n, { Float($0) }, { Float($0) })
    case .float64: c.convertEach(into: out.elements(Double.self), n, { $0 }, { Double($0) })
    case .int64: c.convertEach(into: out.elements(Int64.self), n, { int64Saturating($0) }, { $0 })
    case .int32:
      if dtype == .float32 {
        let s = c.data, d = out.intData
        for i in 0..<n { d[i] = int32Saturating(s[i]) }
      } else {
        c.convertEach(into: out.intData, n, { int32Saturating(double: $0) }, { Int32(truncatingIfNeeded: $0) })
      }
    case .bool: c.convertEach(into: out.elements(UInt8.self), n, { $0 != 0 ? 1 : 0 }, { $0 != 0 ? 1 : 0 })
    }
    return out
  }

  /// Writes `n` converted elements of this contiguous tensor: floating sources through
  /// `fromFloat` (as Double, exact for float32), integer and bool sources through `fromInt`.
  @inline(__always)
  private func convertEach<D>(into d: UnsafeMutablePointer<D>, _ n: Int,
                              _ fromFloat: (Double) -> D, _ fromInt: (Int64) -> D) {
    switch dtype {
    case .float32: let s = data; for i in 0..<n { d[i] = fromFloat(Double(s[i])) }
    case .float64: let s = elements(Double.self); for i in 0..<n { d[i] = fromFloat(s[i]) }
    case .int32: let s = intData; for i in 0..<n { d[i] = fromInt(Int64(s[i])) }
    case .int64: let s = elements(Int64.self); for i in 0..<n { d[i] = fromInt(s[i]) }
    case .bool: let s = elements(UInt8.self); for i in 0..<n { d[i] = fromInt(Int64(s[i])) }
    }
  }

  /// As float32 (`tensor:float()`).
  public func float() -> Tensor { to(.float32) }
  /// As int32 (`tensor:int()`), truncating toward zero.
  public func int() -> Tensor { to(.int32) }
  /// As int64 (`tensor:long()`), truncating toward zero.
  public func long() -> Tensor { to(.int64) }
  /// As float64 (`tensor:double()`).
  public func double() -> Tensor { to(.float64) }
  /// As bool (`tensor:bool()`): true where non-zero.
  public func bool() -> Tensor { to(.bool) }
}

/// A double as int64, truncated toward zero; NaN becomes 0 and values beyond the range the
/// nearest bound (`Int64(Double)` traps on those).
@inline(__always)
public func int64Saturating(_ v: Double) -> Int64 {
  if v.isNaN { return 0 }
  if v >= 9_223_372_036_854_775_808 { return Int64.max }
  if v <= -9_223_372_036_854_775_808 { return Int64.min }
  return Int64(v)
}

/// A double as int32, truncated toward zero, saturating; NaN becomes 0.
@inline(__always)
public func int32Saturating(double v: Double) -> Int32 { Int32(clamping: int64Saturating(v)) }
