/// Running sums and products along one dimension (`torch.cumsum`, `torch.cumprod`).
/// Both accumulate in Double, so a long line keeps Float accuracy at its end.
extension Tensor {
  /// out[k] = x[0] + ... + x[k] along `dim`.
  public func cumsum(_ dim: Int) -> Tensor {
    let d = Shape.normalize(dim, rank: rank, "Tensor.cumsum")
    return lineOp("cumsum", d, outSize: sizeAlong(d), forward: { x, y in
      var s = 0.0
      for k in 0..<x.n { s += Double(x[k]); y[k] = Float(s) }
    }, backward: { _, _, g, dx in
      // d out[j] / d x[k] = 1 for j >= k: the gradient is the reversed running sum of g.
      var s = 0.0
      for k in stride(from: g.n - 1, through: 0, by: -1) { s += Double(g[k]); dx[k] = Float(s) }
    })
  }

  /// out[k] = x[0] * ... * x[k] along `dim`.
  ///
  /// The gradient is exact where x holds zeros (dividing out by x[k] would give NaN):
  /// dx[i] = P[i-1] * S[i], with P the running product and S[i] = g[i] + x[i+1] * S[i+1],
  /// which is the sum over j >= i of g[j] times the product of x[i+1...j]. O(n) per line.
  public func cumprod(_ dim: Int) -> Tensor {
    let d = Shape.normalize(dim, rank: rank, "Tensor.cumprod")
    return lineOp("cumprod", d, outSize: sizeAlong(d), forward: { x, y in
      var p = 1.0
      for k in 0..<x.n { p *= Double(x[k]); y[k] = Float(p) }
    }, backward: { x, _, g, dx in
      let n = x.n
      var suffix = [Double](repeating: 0, count: n)
      var s = 0.0
      for k in stride(from: n - 1, through: 0, by: -1) {
        s = Double(g[k]) + (k + 1 < n ? Double(x[k + 1]) * s : 0)
        suffix[k] = s
      }
      var p = 1.0
      for k in 0..<n {
        dx[k] = Float(p * suffix[k])
        p *= Double(x[k])
      }
    })
  }
}
