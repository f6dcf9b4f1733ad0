import LyraTensor

/// Adam for sparse embedding tables, as CTR trainers use it (TensorFlow's LazyAdam,
/// PyTorch's SparseAdam): a step updates the moments and values of the touched rows
/// only; untouched rows keep their values *and* their moments (no decay of m, v for
/// rows absent from the batch). Bias correction uses the global step count.
///
/// Why lazy: decaying every row's moments each step is a dense pass over the table, the
/// cost sparse updates exist to avoid; on rows touched every step the update equals Adam's.
public final class LazyAdam: Optimizer {
  public let name = "LazyAdam"
  public let tables: [SparseEmbedding]
  public var lr: Double
  public var beta1: Double, beta2: Double, eps: Double
  public private(set) var steps = 0
  private var m: [[Float]], v: [[Float]]

  public init(_ tables: [SparseEmbedding], lr: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8) {
    self.tables = tables
    self.lr = lr
    self.beta1 = beta1
    self.beta2 = beta2
    self.eps = eps
    m = tables.map { [Float](repeating: 0, count: $0.count * $0.dim) }
    v = m
  }

  public var params: [Tensor] { tables.map(\.weight) }
  public var hyperparameters: [String: Double] { ["lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps] }

  /// Forgets the lookups since the last step (their gradients are per forward, not in `grad`).
  public func zeroGrad(setToNone: Bool) { for t in tables { t.discardGradient() } }

  public func stateDict() -> OptimizerState {
    var s = OptimizerState(optimizer: name, hyperparameters: hyperparameters)
    for k in tables.indices {
      s.buffers["\(k).exp_avg"] = m[k]
      s.buffers["\(k).exp_avg_sq"] = v[k]
      s.steps[k] = steps
    }
    return s
  }

  public func loadStateDict(_ state: OptimizerState) throws {
    try state.validate(for: name, paramCount: tables.count, bufferNames: ["exp_avg", "exp_avg_sq"], hyper: Set(hyperparameters.keys))
    var nm = m, nv = v
    for (k, t) in tables.enumerated() {
      nm[k] = try state.buffer(k, "exp_avg", count: t.count * t.dim) ?? nm[k]
      nv[k] = try state.buffer(k, "exp_avg_sq", count: t.count * t.dim) ?? nv[k]
    }
    (m, v) = (nm, nv)
    steps = state.steps[0] ?? steps
    let h = state.hyperparameters
    (lr, beta1, beta2, eps) = (h["lr"] ?? lr, h["beta1"] ?? beta1, h["beta2"] ?? beta2, h["eps"] ?? eps)
  }

  /// One step of every table over the rows looked up since the last step.
  public func step() {
    steps += 1
    let c1 = 1 - powInt(beta1, steps), c2 = 1 - powInt(beta2, steps)
    let b1 = Float(beta1), b2 = Float(beta2)
    let stepSize = Float(lr / c1), sq2 = Float(c2.squareRoot()), e = Float(eps)
    for (t, table) in tables.enumerated() {
      let (rows, g) = table.takeGradient()
      let w = table.weight.storage.floats + table.weight.offset, d = table.dim
      for (k, r) in rows.enumerated() {
        for j in 0..<d {
          let i = r * d + j, gi = g[k * d + j]
          m[t][i] = b1 * m[t][i] + (1 - b1) * gi
          v[t][i] = b2 * v[t][i] + (1 - b2) * gi * gi
          w[i] -= stepSize * m[t][i] / (v[t][i].squareRoot() / sq2 + e)
        }
      }
    }
  }
}

@inline(__always) func powInt(_ x: Double, _ n: Int) -> Double {
  var r = 1.0
  for _ in 0..<n { r *= x }
  return r
}
