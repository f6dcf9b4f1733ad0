import Foundation

/// log(Σ exp(x)) along one dimension (`torch.logsumexp`), computed as m + log Σ exp(x - m)
/// with m the line's maximum, so large inputs do not overflow (logsumexp([1000, 1000]) is
/// 1000 + log 2, where exp(1000) is inf in Float). The gradient is softmax(x) * g.
extension Tensor {
  /// log Σ exp along `dim`; a line of -inf (or an empty line) gives -inf.
  public func logsumexp(_ dim: Int, keepdim: Bool = false) -> Tensor {
    let d = Shape.normalize(dim, rank: rank, "Tensor.logsumexp")
    return reduceLines("logsumexp", d, keepdim: keepdim, forward: { x in
      var m = -Float.infinity
      for k in 0..<x.n where x[k] > m || x[k].isNaN { m = x[k] }
      guard m.isFinite else { return m }
      var s = 0.0
      for k in 0..<x.n { s += Foundation.exp(Double(x[k] - m)) }
      return Float(Double(m) + Foundation.log(s))
    }, backward: { x, y, g, dx in
      guard y != -.infinity else { return }
      for k in 0..<x.n { dx[k] = g * Float(Foundation.exp(Double(x[k]) - Double(y))) }
    })
  }
}
