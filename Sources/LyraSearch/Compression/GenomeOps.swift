import LyraBase
import LyraSpace

/// The variation operators of VEGA's compression EAs (docs/algorithms/prune_ea.md, docs/algorithms/quant_ea.md) on a
/// flat integer genome.
enum GenomeOps {
  /// Two-point crossover: `base` with the slice [i, j) taken from `other`, 0 ≤ i < j ≤ n
  /// drawn uniformly (VEGA swaps the segment between two random cut points).
  static func twoPoint(_ base: [Int], _ other: [Int], _ g: Generator) -> [Int] {
    precondition(base.count == other.count, "GenomeOps.twoPoint: genomes of \(base.count) and \(other.count)")
    guard base.count > 1 else { return other }
    var i = g.int(in: 0...base.count), j = g.int(in: 0...base.count)
    while i == j { j = g.int(in: 0...base.count) }
    if i > j { swap(&i, &j) }
    var child = base
    child.replaceSubrange(i..<j, with: other[i..<j])
    return child
  }

  /// Each position is redrawn (to a different value from `choose`) with probability
  /// `rate`; if none was, one random position is, so a mutant always differs.
  static func pointMutation(_ genome: [Int], rate: Double, _ g: Generator, _ choose: (Int, Int) -> Int) -> [Int] {
    var out = genome
    for k in out.indices where g.bernoulli(rate) { out[k] = choose(k, out[k]) }
    if out == genome, !out.isEmpty {
      let k = g.int(below: out.count)
      out[k] = choose(k, out[k])
    }
    return out
  }

  /// A config value as a list of ints, or nil.
  static func ints(_ v: ParamValue?) -> [Int]? {
    guard case .list(let l)? = v else { return nil }
    var out: [Int] = []
    for x in l {
      guard case .int(let i) = x else { return nil }
      out.append(i)
    }
    return out
  }

  static func list(_ a: [Int]) -> ParamValue { .list(a.map { .int($0) }) }

  /// Keys of the optional companion space: sampled with the individual, carried unchanged.
  static func validateRest(_ c: Config, excluding keys: Set<String>, space: SearchSpace?) throws {
    for (k, v) in c where !keys.contains(k) {
      guard let space, space[k]?.contains(v) ?? false else { throw CodecError("\(k): \(v) is not a value of the search space") }
    }
  }
}
