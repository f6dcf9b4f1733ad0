import Foundation
import LyraBase

/// A regression forest on inputs scaled to [0, 1]: bootstrap samples, at each node the
/// best variance-reducing split over a random subset of features (at least one
/// candidate per feature, midpoints between sorted distinct values). Seeded (LyraBase's Generator), so a
/// report is the same every time it is written. Small on purpose: a search has tens
/// to hundreds of trials, and fANOVA needs only the leaves' boxes and values.
struct RandomForest {
  /// A leaf: its box in [0, 1]^d (lower, upper per feature) and its mean value.
  struct Leaf {
    var lower: [Double]
    var upper: [Double]
    var value: Double
  }

  var trees: [[Leaf]]

  struct Options {
    var trees = 32
    var maxDepth = 8
    var minLeaf = 2
    var seed: UInt64 = 0x5EED
  }

  /// `x`: rows of `d` features in [0, 1]; `y`: finite targets.
  init(x: [[Double]], y: [Double], options o: Options = Options()) {
    let d = x.first?.count ?? 0
    let rng = Generator(seed: o.seed)
    var trees: [[Leaf]] = []
    guard d > 0, x.count >= 2 else { self.trees = []; return }
    for _ in 0..<o.trees {
      let sample = (0..<x.count).map { _ in rng.int(below: x.count) }
      var leaves: [Leaf] = []
      Self.grow(sample, x: x, y: y, lower: [Double](repeating: 0, count: d), upper: [Double](repeating: 1, count: d),
                depth: 0, o: o, rng: rng, into: &leaves)
      trees.append(leaves)
    }
    self.trees = trees
  }

  private static func grow(_ idx: [Int], x: [[Double]], y: [Double], lower: [Double], upper: [Double], depth: Int, o: Options,
                           rng: Generator, into leaves: inout [Leaf]) {
    let mean = idx.reduce(0) { $0 + y[$1] } / Double(idx.count)
    guard depth < o.maxDepth, idx.count >= 2 * o.minLeaf, let s = bestSplit(idx, x: x, y: y, minLeaf: o.minLeaf, rng: rng) else {
      leaves.append(Leaf(lower: lower, upper: upper, value: mean))
      return
    }
    var lu = upper, rl = lower
    lu[s.feature] = s.threshold
    rl[s.feature] = s.threshold
    let left = idx.filter { x[$0][s.feature] <= s.threshold }, right = idx.filter { x[$0][s.feature] > s.threshold }
    grow(left, x: x, y: y, lower: lower, upper: lu, depth: depth + 1, o: o, rng: rng, into: &leaves)
    grow(right, x: x, y: y, lower: rl, upper: upper, depth: depth + 1, o: o, rng: rng, into: &leaves)
  }

  /// The split with the smallest summed squared error over a random ⌈d·2/3⌉ of the features.
  private static func bestSplit(_ idx: [Int], x: [[Double]], y: [Double], minLeaf: Int, rng: Generator) -> (feature: Int, threshold: Double)? {
    let d = x[idx[0]].count
    var features = Array(0..<d)
    for i in stride(from: d - 1, to: 0, by: -1) { features.swapAt(i, rng.int(below: i + 1)) }
    features = Array(features.prefix(max(1, (2 * d + 2) / 3)))
    var best: (Int, Double, Double)?
    for f in features {
      let sorted = idx.sorted { x[$0][f] < x[$1][f] }
      let total = sorted.reduce(0) { $0 + y[$1] }, totalSq = sorted.reduce(0) { $0 + y[$1] * y[$1] }
      var sum = 0.0, sq = 0.0
      for k in 0..<(sorted.count - 1) {
        let v = y[sorted[k]]
        sum += v
        sq += v * v
        let nl = Double(k + 1), nr = Double(sorted.count - k - 1)
        guard k + 1 >= minLeaf, sorted.count - k - 1 >= minLeaf else { continue }
        let a = x[sorted[k]][f], b = x[sorted[k + 1]][f]
        guard a < b else { continue }
        let sse = (sq - sum * sum / nl) + ((totalSq - sq) - (total - sum) * (total - sum) / nr)
        if best == nil || sse < best!.2 - 1e-12 { best = (f, (a + b) / 2, sse) }
      }
    }
    return best.map { ($0.0, $0.1) }
  }
}
