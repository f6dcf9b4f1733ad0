import LyraBase

/// Sampling with per-element probabilities: bernoulli (from a tensor of probabilities)
/// and multinomial (category draws). Both use the seeded generator (`Tensor.manualSeed`)
/// unless one is passed, so a seeded run repeats exactly; neither is recorded.
extension Tensor {
  /// 1 with probability self[i], else 0 (`torch.bernoulli(p)`); self holds values in [0, 1].
  public func bernoulli(generator: Generator? = nil) -> Tensor {
    Tensor.empty(shape).bernoulli_(self, generator: generator)
  }

  /// Fills with 1 with probability p[i] (p broadcasts to self's shape), else 0, in place.
  @discardableResult
  public func bernoulli_(_ p: Tensor, generator: Generator? = nil) -> Tensor {
    requireFloat("Tensor.bernoulli_")
    let g = generator ?? Tensor.defaultGenerator
    let probs = (p.dtype == .float32 ? p : p.float()).expand(shape).contiguous()
    let c = isContiguous ? self : Tensor.empty(shape)
    for i in 0..<count { c.data[i] = g.nextFloat() < probs.data[i] ? 1 : 0 }
    if c !== self { copy_(c) }
    return self
  }

  /// `n` category draws per row of non-negative weights (1-D: one row; 2-D: one per
  /// row), as 0-based int32 positions of shape [n] or [rows, n] (`torch.multinomial`).
  /// Without replacement a category is drawn at most once, so n may not exceed the
  /// number of categories of positive weight. Weights need not sum to 1.
  public func multinomial(_ n: Int, replacement: Bool = false, generator: Generator? = nil) -> Tensor {
    precondition(rank == 1 || rank == 2, "Tensor.multinomial: expects a 1-D or 2-D tensor of weights")
    let g = generator ?? Tensor.defaultGenerator
    let w = (dtype == .float32 ? self : float()).contiguous()
    let rows = rank == 1 ? 1 : shape[0], k = shape[rank - 1]
    let out = Tensor(uninitializedShape: rank == 1 ? [n] : [rows, n], dtype: .int32)
    for r in 0..<rows {
      var weights = (0..<k).map { Double(w.data[r * k + $0]) }
      precondition(weights.allSatisfy { $0 >= 0 && $0.isFinite }, "Tensor.multinomial: weights must be finite and non-negative")
      precondition(replacement || weights.filter { $0 > 0 }.count >= n, "Tensor.multinomial: too few positive weights for \(n) draws without replacement")
      for j in 0..<n {
        let total = weights.reduce(0, +)
        precondition(total > 0, "Tensor.multinomial: weights sum to 0")
        // The first category whose running sum passes u (skipping zero weights, which
        // u == 0 would otherwise pick).
        let u = g.nextDouble() * total
        var acc = 0.0, pick = -1
        for c in 0..<k where weights[c] > 0 {
          acc += weights[c]
          pick = c
          if u < acc { break }
        }
        out.intData[r * n + j] = Int32(pick)
        if !replacement { weights[pick] = 0 }
      }
    }
    return out
  }
}
