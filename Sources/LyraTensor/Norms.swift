import Foundation

/// Vector p-norms (`torch.norm`, `torch.dist`), over all elements or along one dimension.
///
/// p = 2 is the default; p = 1, p = inf, p = 0 (the count of non-zeros) and any p > 0
/// are supported. Sums run in Double. The gradient at a zero norm is 0 (the subgradient
/// PyTorch picks), not the 0/0 that composing sqrt and sum would give.
extension Tensor {
  /// The p-norm of all elements, as a 0-d tensor.
  public func norm(_ p: Float = 2) -> Tensor {
    precondition(p >= 0, "Tensor.norm: p must be >= 0 or infinity, got \(p)")
    return reduceAll("norm", forward: Tensor.lineNorm(p), backward: Tensor.lineNormGrad(p))
  }

  /// The p-norm along `dim`.
  public func norm(_ p: Float = 2, dim: Int, keepdim: Bool = false) -> Tensor {
    precondition(p >= 0, "Tensor.norm: p must be >= 0 or infinity, got \(p)")
    let d = Shape.normalize(dim, rank: rank, "Tensor.norm")
    return reduceLines("norm", d, keepdim: keepdim, forward: Tensor.lineNorm(p), backward: Tensor.lineNormGrad(p))
  }

  /// The p-norm of `self - other` (broadcasting), as a 0-d tensor (`torch.dist`).
  public func dist(_ other: Tensor, _ p: Float = 2) -> Tensor { sub(other).norm(p) }

  static func lineNorm(_ p: Float) -> (Line) -> Float {
    { x in
      var s = 0.0
      if p.isInfinite {
        for k in 0..<x.n { let a = Double(Swift.abs(x[k])); if a > s || a.isNaN { s = a } }
        return Float(s)
      }
      if p == 0 {
        for k in 0..<x.n where x[k] != 0 { s += 1 }
        return Float(s)
      }
      let pd = Double(p)
      for k in 0..<x.n { let a = Double(Swift.abs(x[k])); s += p == 1 ? a : (p == 2 ? a * a : Foundation.pow(a, pd)) }
      return Float(p == 1 ? s : (p == 2 ? s.squareRoot() : Foundation.pow(s, 1 / pd)))
    }
  }

  /// d‖x‖p / dx[k] = sign(x[k]) |x[k]|^(p-1) / ‖x‖^(p-1); for p = inf the gradient is
  /// shared equally by the elements whose |x| equals the norm; p = 0 has none.
  static func lineNormGrad(_ p: Float) -> (Line, Float, Float, Line) -> Void {
    { x, y, g, dx in
      guard p != 0, y != 0 else { return }
      func sign(_ v: Float) -> Double { v > 0 ? 1 : (v < 0 ? -1 : (v.isNaN ? .nan : 0)) }
      if p.isInfinite {
        var ties = 0.0
        for k in 0..<x.n where Swift.abs(x[k]) == y { ties += 1 }
        for k in 0..<x.n where Swift.abs(x[k]) == y { dx[k] = Float(Double(g) * sign(x[k]) / ties) }
        return
      }
      let pd = Double(p), yd = Double(y), gd = Double(g)
      // A zero element gets 0 (for p < 1 its |x|^(p-1) is infinite, and 0 * inf is NaN).
      for k in 0..<x.n where x[k] != 0 {
        let a = Double(Swift.abs(x[k]))
        let v: Double = p == 1 ? 1 : (p == 2 ? a / yd : Foundation.pow(a / yd, pd - 1))
        dx[k] = Float(gd * sign(x[k]) * v)
      }
    }
  }
}
