import LyraSearch
import LyraTensor

/// Area under the ROC curve of a binary classifier (VEGA's `AUC`, maximised), over all
/// samples seen since `reset()` (a rank statistic cannot be averaged over batches).
///
/// Scores: [N] or [N, 1] outputs as they are (logits or probabilities: only their order
/// matters); [N, 2] outputs as logit₁ − logit₀ (same order as softmax's p₁). Targets 0/1.
/// AUC = (sum of the positives' ranks − P(P+1)/2) / (P·N) with average ranks for ties,
/// which equals the pairwise P(score₊ > score₋) + ½·P(tie) and sklearn's `roc_auc_score`.
public final class AUC: Metric {
  public let name = "AUC"
  public let objective = Direction.maximize
  private var scores: [Double] = []
  private var labels: [Int] = []

  public init() {}

  public func reset() {
    scores = []
    labels = []
  }

  public func update(output: Tensor, target: Tensor) throws {
    let (n, c) = try MetricInput.rows(output, metric: name)
    try MetricInput.checkCount(n, target, metric: name)
    let v = output.toArray()
    switch c {
    case 1: scores += v.map(Double.init)
    case 2: scores += (0..<n).map { Double(v[2 * $0 + 1]) - Double(v[2 * $0]) }
    default: throw TrainerError.input("AUC: binary classification only; got \(c) output columns")
    }
    let y = try MetricInput.labels(target, metric: name)
    guard y.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw TrainerError.input("AUC: targets must be 0 or 1") }
    labels += y
  }

  /// The rank-sum AUC of `scores` against 0/1 `labels`; nil without both classes.
  public static func auc(scores: [Double], labels: [Int]) -> Double? {
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var ranks = [Double](repeating: 0, count: scores.count)
    var i = 0
    while i < order.count {
      var j = i
      while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
      let avg = Double(i + j) / 2 + 1  // ranks are 1-based
      for k in i...j { ranks[order[k]] = avg }
      i = j + 1
    }
    let pos = labels.filter { $0 == 1 }.count, neg = labels.count - pos
    guard pos > 0, neg > 0 else { return nil }
    let sumPos = zip(ranks, labels).filter { $0.1 == 1 }.reduce(0) { $0 + $1.0 }
    return (sumPos - Double(pos) * Double(pos + 1) / 2) / (Double(pos) * Double(neg))
  }

  public func summary() throws -> [String: Double] {
    guard let a = AUC.auc(scores: scores, labels: labels) else {
      throw TrainerError.input("AUC: undefined unless both classes occur (\(labels.count) samples seen)")
    }
    return [name: a]
  }
}
