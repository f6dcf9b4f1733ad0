import LyraBase

extension Tensor {
  /// Inverted dropout: in training, zeroes each element with probability `p` and scales
  /// the rest by 1/(1−p), so evaluation is the identity.
  public func dropout(_ p: Float, training: Bool = true, generator: Generator? = nil) -> Tensor {
    precondition(p >= 0 && p <= 1, "Tensor.dropout: p must be in [0, 1], got \(p)")
    if !training || p == 0 { return self }
    if p == 1 { return mul(0) }
    let mask = Tensor.empty(shape).bernoulli_(1 - p, generator: generator)
    mask.applyUnary_(FAffine(scale: 1 / (1 - p), shift: 0))
    let out = detach().mapBinary(mask, "Tensor.dropout", FMul())
    return out.recorded("dropout", [self]) { g in [g.mapBinary(mask, "dropout", FMul())] }
  }
}
