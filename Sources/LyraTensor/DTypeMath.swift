/// Element-wise arithmetic, comparisons, neg and abs for int64, float64 and bool operands,
/// computed in the promoted type (`DTypePromotion`): float64 in double precision, int64
/// exactly (wrapping on overflow, as PyTorch does). Where the promoted type is float32 the
/// ordinary float32 ops run (so a float32 operand keeps its gradient). As in PyTorch, `/`
/// of integer or bool operands is true division in float32; unlike PyTorch, arithmetic of
/// two bools gives int64 (PyTorch gives bool for + and *, and refuses -).
public enum DTypeArithmetic: String, Sendable { case add, sub, mul, div }

/// The comparisons; on int64/float64/bool operands they return bool tensors (PyTorch).
public enum DTypeComparison: String, Sendable { case eq, ne, lt, le, gt, ge }

extension Tensor {
  /// `a op b`, broadcasting, in PyTorch's result type.
  public static func arithmetic(_ op: DTypeArithmetic, _ a: Tensor, _ b: Tensor) -> Tensor {
    guard let shape = Shape.broadcast(a.shape, b.shape) else {
      preconditionFailure("Tensor.\(op): shapes \(Shape.describe(a.shape)) and \(Shape.describe(b.shape)) do not broadcast")
    }
    var r = DType.promoted(a.dtype, b.dtype)
    if op == .div && !r.isFloatingPoint { r = .float32 }
    if r == .float32 {
      let x = a.float(), y = b.float()
      switch op {
      case .add: return x + y
      case .sub: return x - y
      case .mul: return x * y
      case .div: return x / y
      }
    }
    let compute: DType = r == .float64 ? .float64 : .int64
    let x = a.to(compute).expand(shape).contiguous(), y = b.to(compute).expand(shape).contiguous()
    let out = Tensor(uninitializedShape: shape, dtype: compute)
    if compute == .float64 {
      let f: (Double, Double) -> Double
      switch op {
      case .add: f = (+)
      case .sub: f = (-)
      case .mul: f = (*)
      case .div: f = (/)
      }
      zipMap(x.elements(Double.self), y.elements(Double.self), out.elements(Double.self), out.count, f)
    } else {
      let f: (Int64, Int64) -> Int64
      switch op {
      case .add: f = (&+)
      case .sub: f = (&-)
      case .mul, .div: f = (&*) // div never computes in int64 (true division above)
      }
      zipMap(x.elements(Int64.self), y.elements(Int64.self), out.elements(Int64.self), out.count, f)
    }
    return r == .int32 ? out.to(.int32) : out
  }

  /// `a cmp b` element-wise, broadcasting, as a bool tensor (compared in the promoted type).
  public static func compare(_ op: DTypeComparison, _ a: Tensor, _ b: Tensor) -> Tensor {
    guard let shape = Shape.broadcast(a.shape, b.shape) else {
      preconditionFailure("Tensor.\(op): shapes \(Shape.describe(a.shape)) and \(Shape.describe(b.shape)) do not broadcast")
    }
    let r = DType.promoted(a.dtype, b.dtype)
    let out = Tensor(uninitializedShape: shape, dtype: .bool)
    let o = out.elements(UInt8.self)
    func run<T: Comparable>(_ t: T.Type, _ compute: DType) {
      let x = a.to(r).to(compute).expand(shape).contiguous(), y = b.to(r).to(compute).expand(shape).contiguous()
      let f: (T, T) -> Bool
      switch op {
      case .eq: f = (==)
      case .ne: f = (!=)
      case .lt: f = (<)
      case .le: f = (<=)
      case .gt: f = (>)
      case .ge: f = (>=)
      }
      let p = x.elements(T.self), q = y.elements(T.self)
      for i in 0..<out.count { o[i] = f(p[i], q[i]) ? 1 : 0 }
    }
    if r.isFloatingPoint { run(Double.self, .float64) } else { run(Int64.self, .int64) }
    return out
  }

  /// `-x` for int64 (wrapping: -min is min) and float64.
  public func negExact() -> Tensor { mapExact({ 0 &- $0 }, { -$0 }) }

  /// `|x|` for int64 (wrapping: |min| is min, as PyTorch) and float64.
  public func absExact() -> Tensor { mapExact({ $0 < 0 ? 0 &- $0 : $0 }, { Swift.abs($0) }) }

  /// Applies `i` to int64 elements or `f` to float64 elements (the dtype must be one of them).
  func mapExact(_ i: (Int64) -> Int64, _ f: (Double) -> Double) -> Tensor {
    precondition(dtype == .int64 || dtype == .float64, "Tensor: expected an int64 or float64 tensor, got \(dtype)")
    let c = contiguous(), out = Tensor(uninitializedShape: shape, dtype: dtype), n = count
    if dtype == .int64 {
      let s = c.elements(Int64.self), d = out.elements(Int64.self)
      for k in 0..<n { d[k] = i(s[k]) }
    } else {
      let s = c.elements(Double.self), d = out.elements(Double.self)
      for k in 0..<n { d[k] = f(s[k]) }
    }
    return out
  }
}

@inline(__always)
private func zipMap<T>(_ a: UnsafeMutablePointer<T>, _ b: UnsafeMutablePointer<T>, _ out: UnsafeMutablePointer<T>,
                       _ n: Int, _ f: (T, T) -> T) {
  for i in 0..<n { out[i] = f(a[i], b[i]) }
}
