/// The hypervolume indicator (Zitzler & Thiele, PPSN 1998): the volume of objective space
/// dominated by a set of loss vectors and bounded by a reference point. Larger is better;
/// it is maximal exactly for the Pareto front, so it measures both convergence and spread.
///
/// Exact, by slicing along the last objective (HSO, While et al., IEEE TEC 2006); fine for
/// the few hundred points of a search's front. Points that do not strictly dominate the
/// reference add nothing.
public enum Hypervolume {
  public static func of(_ points: [[Double]], reference: [Double]) -> Double {
    let inside = points.filter { p in p.count == reference.count && zip(p, reference).allSatisfy { $0 < $1 } }
    return volume(inside, reference)
  }

  private static func volume(_ pts: [[Double]], _ ref: [Double]) -> Double {
    guard !pts.isEmpty else { return 0 }
    let d = ref.count
    if d == 1 { return ref[0] - pts.map { $0[0] }.min()! }
    if d == 2 {
      var total = 0.0, bestY = ref[1]
      for p in pts.sorted(by: { $0[0] < $1[0] || ($0[0] == $1[0] && $0[1] < $1[1]) }) where p[1] < bestY {
        total += (ref[0] - p[0]) * (bestY - p[1])
        bestY = p[1]
      }
      return total
    }
    // Slabs between consecutive values of the last objective: each slab's cross-section is
    // the (d−1)-volume of the points at or below it.
    let sorted = pts.sorted { $0[d - 1] < $1[d - 1] }
    var total = 0.0
    for (k, p) in sorted.enumerated() {
      let top = k + 1 < sorted.count ? sorted[k + 1][d - 1] : ref[d - 1]
      guard top > p[d - 1] else { continue }
      let section = sorted[0...k].map { Array($0.prefix(d - 1)) }
      total += volume(section, Array(ref.prefix(d - 1))) * (top - p[d - 1])
    }
    return total
  }
}
