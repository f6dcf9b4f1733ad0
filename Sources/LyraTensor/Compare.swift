/// Comparisons return float masks (1 where true, 0 where false) so they compose with
/// arithmetic; they carry no gradient.
extension Tensor {
  /// self == other.
  public func eq(_ other: Tensor) -> Tensor { mapBinary(other, "Tensor.eq", FCmp(op: .eq)) }
  /// self != other.
  public func ne(_ other: Tensor) -> Tensor { mapBinary(other, "Tensor.ne", FCmp(op: .ne)) }
  /// self < other.
  public func lt(_ other: Tensor) -> Tensor { mapBinary(other, "Tensor.lt", FCmp(op: .lt)) }
  /// self <= other.
  public func le(_ other: Tensor) -> Tensor { mapBinary(other, "Tensor.le", FCmp(op: .le)) }
  /// self > other.
  public func gt(_ other: Tensor) -> Tensor { mapBinary(other, "Tensor.gt", FCmp(op: .gt)) }
  /// self >= other.
  public func ge(_ other: Tensor) -> Tensor { mapBinary(other, "Tensor.ge", FCmp(op: .ge)) }
  /// self == s.
  public func eq(_ s: Float) -> Tensor { eq(Tensor(s)) }
  /// self != s.
  public func ne(_ s: Float) -> Tensor { ne(Tensor(s)) }
  /// self < s.
  public func lt(_ s: Float) -> Tensor { lt(Tensor(s)) }
  /// self <= s.
  public func le(_ s: Float) -> Tensor { le(Tensor(s)) }
  /// self > s.
  public func gt(_ s: Float) -> Tensor { gt(Tensor(s)) }
  /// self >= s.
  public func ge(_ s: Float) -> Tensor { ge(Tensor(s)) }

  /// Elementwise choice: `a` where `condition` is non-zero, else `b` (all three broadcast).
  /// Gradients flow to `a` and `b` through the mask; none to the condition.
  public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    condition.requireFloat("Tensor.where")
    guard let s1 = Shape.broadcast(condition.shape, a.shape), let outShape = Shape.broadcast(s1, b.shape) else {
      preconditionFailure("Tensor.where: shapes \(Shape.describe(condition.shape)), \(Shape.describe(a.shape)), \(Shape.describe(b.shape)) do not broadcast")
    }
    let mask = condition.ne(Tensor(Float(0))).expand(outShape).contiguous()
    let ac = a.detach().expand(outShape).contiguous(), bc = b.detach().expand(outShape).contiguous()
    let out = Tensor.empty(outShape)
    let m = mask.data, pa = ac.data, pb = bc.data, o = out.data
    for i in 0..<out.count { o[i] = m[i] != 0 ? pa[i] : pb[i] }
    let (sa, sb) = (a.shape, b.shape)
    return out.recorded("where", [a, b]) { g in
      [a.requiresGrad ? g.mapBinary(mask, "where", FMul()).sumTo(sa) : nil,
       b.requiresGrad ? g.mapBinary(mask, "where", FMulNot()).sumTo(sb) : nil]
    }
  }
}

enum CmpOp { case eq, ne, lt, le, gt, ge }
struct FCmp: BinaryFn {
  let op: CmpOp
  @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float {
    let r: Bool
    switch op {
    case .eq: r = a == b
    case .ne: r = a != b
    case .lt: r = a < b
    case .le: r = a <= b
    case .gt: r = a > b
    case .ge: r = a >= b
    }
    return r ? 1 : 0
  }
}
/// (g, mask) -> g where mask is 0.
struct FMulNot: BinaryFn { @inline(__always) func callAsFunction(_ g: Float, _ m: Float) -> Float { m != 0 ? 0 : g } }
