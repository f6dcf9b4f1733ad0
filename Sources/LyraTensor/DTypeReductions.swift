/// sum, mean, min, max, argmin and argmax for int64, float64 and bool tensors, over all
/// elements or along one dimension. As PyTorch: the sum of integers or bools is int64 and
/// exact (wrapping on overflow); the sum and mean of float64 are float64, added in double
/// precision; min/max keep the dtype and a NaN wins; positions are int32 (0-based here)
/// and the first extreme wins ties. Not recorded (these dtypes carry no gradients).
extension Tensor {
  /// The lines a reduction walks: (outer, n, inner) and the result's shape.
  private func reductionLines(_ dim: Int?, keepdim: Bool) -> (Int, Int, Int, [Int]) {
    guard let d = dim else { return (1, count, 1, keepdim ? [Int](repeating: 1, count: rank) : []) }
    let (outer, n, inner) = axisSplit(d)
    return (outer, n, inner, reducedShape(d, keepdim: keepdim))
  }

  /// The sum (int64 for integer and bool tensors, float64 for float64).
  public func sumExact(dim: Int? = nil, keepdim: Bool = false) -> Tensor {
    let (outer, n, inner, shape) = reductionLines(dim, keepdim: keepdim)
    if dtype.isFloatingPoint {
      let c = to(.float64).contiguous(), out = Tensor(uninitializedShape: shape, dtype: .float64)
      foldLines(c.elements(Double.self), out.elements(Double.self), outer, n, inner, 0, +)
      return dtype == .float64 ? out : out.to(dtype)
    }
    let c = to(.int64).contiguous(), out = Tensor(uninitializedShape: shape, dtype: .int64)
    foldLines(c.elements(Int64.self), out.elements(Int64.self), outer, n, inner, 0, &+)
    return out
  }

  /// The mean of a floating tensor, in its dtype (added in double precision).
  public func meanExact(dim: Int? = nil, keepdim: Bool = false) -> Tensor {
    precondition(dtype.isFloatingPoint, "Tensor.mean: expected a floating tensor, got \(dtype)")
    let (_, n, _, _) = reductionLines(dim, keepdim: keepdim)
    let s = to(.float64).sumExact(dim: dim, keepdim: keepdim)
    let out = s.mapExact({ $0 }, { $0 / Double(n) })
    return out.to(dtype)
  }

  /// The largest (or smallest) values and their int32 positions along `dim` (all elements when nil).
  public func extremeExact(dim: Int? = nil, keepdim: Bool = false, largest: Bool) -> (values: Tensor, indices: Tensor) {
    let (outer, n, inner, shape) = reductionLines(dim, keepdim: keepdim)
    precondition(n > 0, "Tensor.\(largest ? "max" : "min"): the reduced dimension is empty")
    let idx = Tensor(uninitializedShape: shape, dtype: .int32)
    let work: DType = dtype.isFloatingPoint ? .float64 : .int64
    let c = to(work).contiguous(), vals = Tensor(uninitializedShape: shape, dtype: work)
    func scan<T: Comparable>(_ p: UnsafeMutablePointer<T>, _ v: UnsafeMutablePointer<T>, _ isNaN: (T) -> Bool) {
      let ix = idx.intData
      for o in 0..<outer {
        for i in 0..<inner {
          let base = o * n * inner + i
          var best = p[base], at = 0
          for j in 1..<Swift.max(n, 1) where !isNaN(best) {
            let x = p[base + j * inner]
            if isNaN(x) || (largest ? x > best : x < best) { best = x; at = j }
          }
          v[o * inner + i] = best
          ix[o * inner + i] = Int32(truncatingIfNeeded: at)
        }
      }
    }
    if work == .float64 { scan(c.elements(Double.self), vals.elements(Double.self), { $0.isNaN }) } else {
      scan(c.elements(Int64.self), vals.elements(Int64.self), { _ in false })
    }
    return (vals.to(dtype), idx)
  }
}

/// out[o, i] = fold over j of p[o, j, i], for a contiguous [outer, n, inner] block.
private func foldLines<T>(_ p: UnsafeMutablePointer<T>, _ out: UnsafeMutablePointer<T>, _ outer: Int, _ n: Int, _ inner: Int,
                          _ initial: T, _ f: (T, T) -> T) {
  for o in 0..<outer {
    for i in 0..<inner {
      var acc = initial
      for j in 0..<n { acc = f(acc, p[(o * n + j) * inner + i]) }
      out[o * inner + i] = acc
    }
  }
}
