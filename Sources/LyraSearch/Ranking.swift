import LyraSpace

/// Ranking helpers shared by every algorithm: the min/max direction is fixed here, once,
/// so no algorithm compares raw metrics (a pitfall the peers had to fix one by one).
///
/// Internally everything is a loss to minimise: maximised objectives are negated, and a
/// failed trial, a missing metric, NaN or ±inf become +inf, so they rank worst and never
/// become the best (docs/algorithms/README.md#failed-trials).
public enum Ranking {
  /// The loss of one metric value under a direction (+inf when not finite).
  @inline(__always)
  public static func loss(_ value: Double?, _ direction: Direction) -> Double {
    guard let v = value, v.isFinite else { return .infinity }
    return direction == .minimize ? v : -v
  }

  /// The loss vector of a result over the objectives (+inf everywhere for a failed
  /// trial). Pruned trials keep their last reported metrics.
  public static func losses(_ result: TrialResult, _ objectives: [Objective]) -> [Double] {
    if result.status == .failed { return Array(repeating: .infinity, count: objectives.count) }
    return objectives.map { loss(result.metrics[$0.name], $0.direction) }
  }

  /// Indices sorted by loss, ties kept in their given order (earlier first). NaN never
  /// reaches here (losses are +inf for it), so the order is total.
  public static func order(_ losses: [Double]) -> [Int] {
    losses.indices.sorted { losses[$0] < losses[$1] || (losses[$0] == losses[$1] && $0 < $1) }
  }

  /// True when `a` Pareto-dominates `b` under minimisation: no worse anywhere and better
  /// somewhere.
  @inline(__always)
  public static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
    var strictly = false
    for i in a.indices {
      if a[i] > b[i] { return false }
      if a[i] < b[i] { strictly = true }
    }
    return strictly
  }

  /// NSGA-II's fast non-dominated sort (Deb et al., IEEE TEC 2002): the fronts in order,
  /// each a list of indices into `points` in ascending index order. Front 0 is the Pareto
  /// front. Equal points share a front. O(M·N²).
  public static func nonDominatedSort(_ points: [[Double]]) -> [[Int]] {
    let n = points.count
    var dominatedBy = Array(repeating: 0, count: n)  // how many dominate i
    var dominates = Array(repeating: [Int](), count: n)  // whom i dominates
    for i in 0..<n {
      for j in (i + 1)..<max(n, i + 1) {
        if Ranking.dominates(points[i], points[j]) {
          dominates[i].append(j); dominatedBy[j] += 1
        } else if Ranking.dominates(points[j], points[i]) {
          dominates[j].append(i); dominatedBy[i] += 1
        }
      }
    }
    var fronts: [[Int]] = []
    var current = (0..<n).filter { dominatedBy[$0] == 0 }
    while !current.isEmpty {
      fronts.append(current)
      var next: [Int] = []
      for i in current {
        for j in dominates[i] {
          dominatedBy[j] -= 1
          if dominatedBy[j] == 0 { next.append(j) }
        }
      }
      current = next.sorted()
    }
    return fronts
  }

  /// NSGA-II crowding distance of each member of one front (same order as `front`):
  /// boundary points get +inf, so selection keeps the extremes of the front.
  public static func crowdingDistance(_ points: [[Double]], front: [Int]) -> [Double] {
    let m = front.count
    guard m > 2, let dims = points.first?.count else { return Array(repeating: .infinity, count: m) }
    var dist = Array(repeating: 0.0, count: m)
    for k in 0..<dims {
      let idx = (0..<m).sorted { points[front[$0]][k] < points[front[$1]][k] || (points[front[$0]][k] == points[front[$1]][k] && $0 < $1) }
      let lo = points[front[idx[0]]][k], hi = points[front[idx[m - 1]]][k]
      dist[idx[0]] = .infinity
      dist[idx[m - 1]] = .infinity
      let span = hi - lo
      guard span > 0, span.isFinite else { continue }
      for r in 1..<(m - 1) {
        dist[idx[r]] += (points[front[idx[r + 1]]][k] - points[front[idx[r - 1]]][k]) / span
      }
    }
    return dist
  }

  /// The indices of the non-dominated points among those whose losses are all finite.
  public static func paretoIndices(_ points: [[Double]]) -> [Int] {
    let finite = points.indices.filter { points[$0].allSatisfy(\.isFinite) }
    guard let first = nonDominatedSort(finite.map { points[$0] }).first else { return [] }
    return first.map { finite[$0] }
  }
}
