import Foundation

/// Hyperparameter importance by functional ANOVA (Hutter, Hoos, Leyton-Brown, "An
/// Efficient Approach for Assessing Hyperparameter Importance", ICML 2014), as Optuna's
/// `FanovaImportanceEvaluator` does it: fit a random forest to (configuration →
/// objective), then for each tree take the variance of its prediction over the uniform
/// box [0, 1]^d and the part of it explained by each hyperparameter alone (the variance
/// of the marginal over that one input). A tree's prediction is constant on leaf boxes,
/// so both are exact sums over leaves; importances are the per-tree fractions, averaged.
enum FANOVA {
  /// One fraction of variance per feature (main effects only, each in [0, 1]).
  static func importance(_ forest: RandomForest, features d: Int) -> [Double] {
    var sums = [Double](repeating: 0, count: d)
    var counted = 0
    for leaves in forest.trees {
      guard let fractions = mainEffects(leaves, features: d) else { continue }
      for i in 0..<d { sums[i] += fractions[i] }
      counted += 1
    }
    return counted == 0 ? sums : sums.map { $0 / Double(counted) }
  }

  /// A tree's main-effect fractions, nil when its prediction is constant.
  static func mainEffects(_ leaves: [RandomForest.Leaf], features d: Int) -> [Double]? {
    func volume(_ l: RandomForest.Leaf, except skip: Int? = nil) -> Double {
      var v = 1.0
      for i in 0..<d where i != skip { v *= l.upper[i] - l.lower[i] }
      return v
    }
    let mean = leaves.reduce(0) { $0 + volume($1) * $1.value }
    let total = leaves.reduce(0) { $0 + volume($1) * ($1.value - mean) * ($1.value - mean) }
    guard total > 1e-15 * max(1, mean * mean) else { return nil }
    return (0..<d).map { f in
      // The marginal over feature f is constant between consecutive leaf edges along f.
      let edges = Array(Set(leaves.flatMap { [$0.lower[f], $0.upper[f]] })).sorted()
      var v = 0.0
      for (a, b) in zip(edges, edges.dropFirst()) where b > a {
        let mid = (a + b) / 2
        let marginal = leaves.filter { $0.lower[f] <= mid && mid < $0.upper[f] }.reduce(0) { $0 + $1.value * volume($1, except: f) }
        v += (b - a) * (marginal - mean) * (marginal - mean)
      }
      return min(1, v / total)
    }
  }

  /// Importances for a step's searched hyperparameters (nil with fewer than 4 configurations
  /// or no varying key): by key, largest first.
  static func ranking(_ m: ParamMatrix) -> [(key: String, importance: Double)]? {
    let keep = m.objective.indices.filter { m.objective[$0].isFinite }
    guard keep.count >= 4, !m.columns.isEmpty else { return nil }
    let rows = m.unitRows
    let forest = RandomForest(x: keep.map { rows[$0] }, y: keep.map { m.objective[$0] })
    let imp = importance(forest, features: m.columns.count)
    return zip(m.columns.map(\.label), imp).map { ($0, $1) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
  }
}
