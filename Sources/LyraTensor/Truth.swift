/// Which elements are non-zero: all, any (as 0/1 float tensors, like the comparisons,
/// so they compose with arithmetic) and nonzero (their positions). NaN counts as
/// non-zero, as in PyTorch. None of these carries a gradient.
extension Tensor {
  /// 1 when every element is non-zero (also for an empty tensor), else 0; 0-d.
  public func all() -> Tensor { count == 0 ? Tensor(Float(1)) : nonZeroMask().min() }
  /// 1 when some element is non-zero, else 0 (0 for an empty tensor); 0-d.
  public func any() -> Tensor { count == 0 ? Tensor(Float(0)) : nonZeroMask().max() }

  /// `all` along `dim`.
  public func all(_ dim: Int, keepdim: Bool = false) -> Tensor { truthAlong(dim, keepdim, all: true) }
  /// `any` along `dim`.
  public func any(_ dim: Int, keepdim: Bool = false) -> Tensor { truthAlong(dim, keepdim, all: false) }

  func truthAlong(_ dim: Int, _ keepdim: Bool, all: Bool) -> Tensor {
    let d = Shape.normalize(dim, rank: rank, all ? "Tensor.all" : "Tensor.any")
    if sizeAlong(d) == 0 { return Tensor.full(reducedShape(d, keepdim: keepdim), all ? 1 : 0) }
    let m = nonZeroMask()
    return all ? m.min(d, keepdim: keepdim).values : m.max(d, keepdim: keepdim).values
  }

  /// 1 where an element is non-zero (NaN included), else 0; not recorded.
  func nonZeroMask() -> Tensor { Tensor.noGrad { (dtype == .float32 ? self : float()).ne(Tensor(Float(0))) } }

  /// The positions of the non-zero elements as an int32 [n, rank] tensor, in row-major order.
  public func nonzero() -> Tensor {
    let m = nonZeroMask().contiguous()
    var rows: [Int] = [], n = 0
    for i in 0..<m.count where m.data[i] != 0 {
      n += 1
      var r = i
      var coord = [Int](repeating: 0, count: rank)
      for a in stride(from: rank - 1, through: 0, by: -1) {
        coord[a] = r % shape[a]
        r /= shape[a]
      }
      rows += coord
    }
    return Tensor(indices: rows, shape: [n, rank])
  }
}
