import LyraBase

/// NSGA-II's selection machinery (Deb, Pratap, Agarwal, Meyarivan, "A Fast and Elitist
/// Multiobjective Genetic Algorithm: NSGA-II", IEEE Trans. Evolutionary Computation 6(2),
/// 2002): fast non-dominated sorting, crowding distance, the crowded-comparison operator,
/// binary tournaments and elitist survival.
///
/// Everything works on loss vectors (minimised, as `Ranking` makes them: maximised
/// objectives negated, failures +inf). Why rank *then* crowding: rank pushes towards the
/// Pareto front, crowding (the perimeter of the cuboid spanned by a point's neighbours
/// along each objective) keeps the front spread out, and boundary points get +inf so the
/// extremes of the front are never lost.
public enum NSGA2 {
  /// The fronts in order (front 0 is the Pareto front), each in ascending index order.
  /// O(M·N²), Deb et al.'s §III-A. (Shared with `Ranking`, which TPE also uses.)
  public static func nonDominatedSort(_ points: [[Double]]) -> [[Int]] { Ranking.nonDominatedSort(points) }

  /// Crowding distance of each member of one front (same order as `front`), Deb et al.'s
  /// §III-B: per objective, sort the front, give the two ends +inf and every inner point
  /// (next − previous)/(max − min); sum over objectives. Fronts of one or two points are
  /// all ends (+inf). An objective that is constant (or infinite) on the front adds nothing.
  public static func crowdingDistance(_ points: [[Double]], front: [Int]) -> [Double] {
    Ranking.crowdingDistance(points, front: front)
  }

  /// Each point's front index (rank, 0 best) and crowding distance within its front.
  public static func rankAndCrowding(_ points: [[Double]]) -> (rank: [Int], crowding: [Double]) {
    var rank = Array(repeating: 0, count: points.count)
    var crowding = Array(repeating: 0.0, count: points.count)
    for (r, front) in nonDominatedSort(points).enumerated() {
      let d = crowdingDistance(points, front: front)
      for (k, i) in front.enumerated() { rank[i] = r; crowding[i] = d[k] }
    }
    return (rank, crowding)
  }

  /// The crowded-comparison operator ≺ₙ: `a` is better than `b` when its rank is lower,
  /// or the ranks are equal and it lies in a less crowded region.
  @inline(__always)
  public static func crowdedBetter(_ a: Int, _ b: Int, rank: [Int], crowding: [Double]) -> Bool {
    rank[a] < rank[b] || (rank[a] == rank[b] && crowding[a] > crowding[b])
  }

  /// Binary tournament on (rank, crowding) among `rank.count` candidates: two distinct
  /// candidates drawn uniformly (one when there is only one), the crowded-better wins;
  /// on a tie, the first drawn.
  public static func binaryTournament(rank: [Int], crowding: [Double], _ g: Generator) -> Int {
    let n = rank.count
    precondition(n > 0, "a tournament needs candidates")
    let a = g.int(below: n)
    guard n > 1 else { return a }
    var b = g.int(below: n - 1)
    if b >= a { b += 1 }
    return crowdedBetter(b, a, rank: rank, crowding: crowding) ? b : a
  }

  /// NSGA-II's elitist survival: the `keep` indices kept from `points` (whole fronts in
  /// order, the front that does not fit cut by decreasing crowding distance, ties to the
  /// lower index). Returned in ascending index order.
  public static func survivors(_ points: [[Double]], keep: Int) -> [Int] {
    var out: [Int] = []
    for front in nonDominatedSort(points) {
      if out.count + front.count <= keep { out += front; continue }
      let d = crowdingDistance(points, front: front)
      let order = front.indices.sorted { d[$0] > d[$1] || (d[$0] == d[$1] && front[$0] < front[$1]) }
      out += order.prefix(keep - out.count).map { front[$0] }
      break
    }
    return out.sorted()
  }

  /// The one point a steady-state NSGA-II drops when a newcomer overfills the population:
  /// the most crowded member of the last front (ties to the lower index, i.e. the older
  /// member when indices follow age, which keeps a plateau drifting, as aging does).
  /// Why one at a time: recomputing crowding after each removal spreads the front better
  /// than cutting many at once (Kukkonen & Deb, CEC 2006).
  public static func worst(_ points: [[Double]]) -> Int {
    let last = nonDominatedSort(points).last!
    let d = crowdingDistance(points, front: last)
    var pick = 0
    for k in 1..<max(1, last.count) where d[k] < d[pick] { pick = k }
    return last[pick]
  }
}

