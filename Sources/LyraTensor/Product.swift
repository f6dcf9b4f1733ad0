/// The product of elements (`torch.prod`), over all or along one dimension.
///
/// The gradient of each element is the product of all the others, taken from a prefix
/// and a suffix product (O(n), in Double): dividing the result by x[i] would give NaN
/// for a zero element and lose the gradient of the one zero in a line.
extension Tensor {
  /// Product of every element, as a 0-d tensor (1 for an empty tensor).
  public func prod() -> Tensor { reduceAll("prod", forward: Tensor.lineProduct, backward: Tensor.lineProductGrad) }

  /// Product along `dim`.
  public func prod(_ dim: Int, keepdim: Bool = false) -> Tensor {
    let d = Shape.normalize(dim, rank: rank, "Tensor.prod")
    return reduceLines("prod", d, keepdim: keepdim, forward: Tensor.lineProduct, backward: Tensor.lineProductGrad)
  }

  static func lineProduct(_ x: Line) -> Float {
    var p = 1.0
    for k in 0..<x.n { p *= Double(x[k]) }
    return Float(p)
  }

  static func lineProductGrad(_ x: Line, _ y: Float, _ g: Float, _ dx: Line) {
    var prefix = [Double](repeating: 1, count: x.n)
    for k in 1..<Swift.max(x.n, 1) { prefix[k] = prefix[k - 1] * Double(x[k - 1]) }
    var suffix = 1.0
    for k in stride(from: x.n - 1, through: 0, by: -1) {
      dx[k] = Float(Double(g) * prefix[k] * suffix)
      suffix *= Double(x[k])
    }
  }
}
