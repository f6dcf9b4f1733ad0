import LyraBase
import LyraTensor

/// How a loss turns per-element losses into its result (PyTorch's `reduction`).
public enum Reduction: String, CaseIterable, Sendable {
  case mean, sum, none
  /// KLDivLoss only: the sum divided by the batch size (dimension 0), the mathematically
  /// correct KL divergence per sample; PyTorch's 'mean' divides by every element instead.
  case batchmean

  func apply(_ perElement: Tensor, batch: Int) -> Tensor {
    switch self {
    case .mean: return perElement.mean()
    case .sum: return perElement.sum()
    case .none: return perElement
    case .batchmean: return perElement.sum().div(Float(Swift.max(batch, 1)))
    }
  }
}

/// Losses composed from taped ops, with PyTorch's semantics; they throw (never trap) on
/// inputs they cannot take. Class targets are 0-based here (the Lua layer converts).
public enum Loss {
  static func sameShape(_ name: String, _ x: Tensor, _ y: Tensor) throws {
    guard x.shape == y.shape else {
      throw ShapeError("\(name): input \(ShapeText.format(x.shape)) and target \(ShapeText.format(y.shape)) differ in shape")
    }
  }

  static func nonEmpty(_ name: String, _ x: Tensor, _ reduction: Reduction) throws {
    guard x.dtype == .float32 else { throw ShapeError("\(name): input must be a float tensor, got \(x.dtype)") }
    guard x.count > 0 || reduction == .sum || reduction == .none else { throw ShapeError("\(name): input has no elements") }
  }

  /// Negative log-likelihood of log-probabilities [N, C] at int32 class `targets` [N]
  /// (0-based): −w[t]·logp[i, t], t = target[i], with PyTorch's options: `weight` [C] per
  /// class (1 without), and `ignoreIndex`, a target value that contributes nothing (it
  /// may lie outside 0..<C). 'mean' divides by the weights of the counted targets, as
  /// PyTorch does (N without weights; NaN when every target is ignored, as PyTorch).
  public static func nll(_ logp: Tensor, _ targets: Tensor, weight: Tensor? = nil, ignoreIndex: Int? = nil,
                         reduction: Reduction = .mean) throws -> Tensor {
    try nonEmpty("NLLLoss", logp, reduction)
    guard logp.rank == 2 else { throw ShapeError("NLLLoss: expected log-probabilities [N, C], got \(ShapeText.format(logp.shape))") }
    let n = logp.shape[0], c = logp.shape[1]
    guard targets.dtype == .int32, targets.shape == [n] else {
      throw ShapeError("NLLLoss: expected \(n) integer class labels, got a \(targets.dtype) tensor of shape \(ShapeText.format(targets.shape))")
    }
    if let weight {
      guard weight.dtype == .float32, weight.shape == [c] else {
        throw ShapeError("NLLLoss: weight must be a float tensor [\(c)] (one per class), got \(weight.dtype) \(ShapeText.format(weight.shape))")
      }
    }
    let labels = targets.toIntArray()
    if let bad = labels.first(where: { ($0 < 0 || $0 >= c) && $0 != ignoreIndex }) {
      throw ShapeError("NLLLoss: class \(bad) is outside 0..<\(c)")
    }
    let counted = labels.map { $0 != ignoreIndex }
    let safe = Tensor(indices: zip(labels, counted).map { $1 ? $0 : 0 }, shape: [n, 1])
    let picked = logp.gather(1, safe).reshape([n])
    guard weight != nil || ignoreIndex != nil else { return reduction.apply(picked.neg(), batch: n) }
    let classWeight = weight?.detach().toArray()
    let w = zip(labels, counted).map { l, on in on ? classWeight?[l] ?? 1 : 0 }
    let per = picked.neg().mul(Tensor(w, shape: [n]))
    switch reduction {
    case .mean: return per.sum().div(w.reduce(0, +))
    default: return reduction.apply(per, batch: n)
    }
  }

  /// Binary cross-entropy of probabilities in [0, 1] against targets of the same shape:
  /// −(y log x + (1 − y) log(1 − x)), each log clamped at −100 as PyTorch does (so x = 0
  /// or 1 gives a large finite loss, not inf).
  public static func bce(_ x: Tensor, _ y: Tensor, reduction: Reduction = .mean) throws -> Tensor {
    try nonEmpty("BCELoss", x, reduction)
    try sameShape("BCELoss", x, y)
    let values = x.detach().toArray()
    if let bad = values.first(where: { !($0 >= 0 && $0 <= 1) }) {
      throw ShapeError("BCELoss: input values must be probabilities in [0, 1], got \(bad) (for logits use BCEWithLogitsLoss)")
    }
    let t = y.detach().float()
    // The input is clamped away from 0 before the log too: sigmoid outputs exactly 1 in
    // Float from x ≈ 17 on, and log's gradient g / x at 0 would be 0 / 0 = NaN even where
    // the outer clamp passes none. At exactly 0 or 1 the gradient is then 0 (PyTorch's is
    // finite too, ±(x − y) / 1e-12).
    func clampedLog(_ v: Tensor) -> Tensor { v.clamp(min: .leastNonzeroMagnitude).log().clamp(min: -100) }
    let logX = clampedLog(x), log1mX = clampedLog(x.rsub(1))
    return reduction.apply(t.mul(logX).add(t.rsub(1).mul(log1mX)).neg(), batch: x.rank > 0 ? x.shape[0] : 1)
  }

  /// Huber loss: ½d² where |d| < δ, δ(|d| − ½δ) beyond (d = input − target), as
  /// ½q² + δ(|d| − q) with q = min(|d|, δ): one expression, no branch per element.
  public static func huber(_ x: Tensor, _ y: Tensor, delta: Float = 1, reduction: Reduction = .mean) throws -> Tensor {
    try nonEmpty("HuberLoss", x, reduction)
    try sameShape("HuberLoss", x, y)
    return reduction.apply(huberElements(x.sub(y.detach().float()), delta), batch: x.rank > 0 ? x.shape[0] : 1)
  }

  /// Smooth L1: Huber with δ = β divided by β (PyTorch's definition); β = 0 is L1.
  public static func smoothL1(_ x: Tensor, _ y: Tensor, beta: Float = 1, reduction: Reduction = .mean) throws -> Tensor {
    try nonEmpty("SmoothL1Loss", x, reduction)
    try sameShape("SmoothL1Loss", x, y)
    let d = x.sub(y.detach().float())
    let per = beta == 0 ? d.abs() : huberElements(d, beta).div(beta)
    return reduction.apply(per, batch: x.rank > 0 ? x.shape[0] : 1)
  }

  static func huberElements(_ d: Tensor, _ delta: Float) -> Tensor {
    let a = d.abs(), q = a.clamp(max: delta)
    return q.mul(q).mul(0.5).add(a.sub(q).mul(delta))
  }

  /// Kullback-Leibler divergence with the input as log-probabilities (PyTorch's
  /// `KLDivLoss`): target · (log target − input), 0 where target = 0; with `logTarget`
  /// the target holds log-probabilities too: e^t (t − input).
  public static func klDiv(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean, logTarget: Bool = false) throws -> Tensor {
    try nonEmpty("KLDivLoss", input, reduction)
    try sameShape("KLDivLoss", input, target)
    let t = target.detach().float()
    let per: Tensor
    if logTarget {
      per = t.exp().mul(t.sub(input))
    } else {
      if let bad = t.toArray().first(where: { !($0 >= 0) }) {
        throw ShapeError("KLDivLoss: target values must be probabilities (at least 0), got \(bad); pass {log_target = true} for log-probabilities")
      }
      // t · log t with 0 · log 0 = 0: log of t clamped to the smallest normal Float is finite.
      let entropyTerm = t.mul(t.clamp(min: .leastNormalMagnitude).log())
      per = entropyTerm.sub(t.mul(input))
    }
    return reduction.apply(per, batch: input.rank > 0 ? input.shape[0] : 1)
  }
}
