import LyraBase

/// Priors, following VEGA's samplers (`hyper_parameter.py`, `ext_hyper_parameter.py`).
extension Domain {
  func sample(_ g: Generator) -> ParamValue {
    switch self {
    case .numeric(let lo, let hi, let integer, let log):
      // INT: randint including hi. *_EXP: uniform in log10 space, then rounded for INT_EXP.
      if integer && !log { return .int(g.int(in: Int(lo)...Int(hi))) }
      return decode([g.nextDouble()])
    case .choices(let c):
      return c[g.int(below: c.count)]
    case .bits(let n, let ones):
      if let k = ones { return Domain.bitList(n, ones: Set(g.permutation(n).prefix(k))) }
      // VEGA's BINARY_CODE [n]: one keep-probability p ~ U(0.8, 0.95) per individual.
      let p = g.uniform(0.8, 0.95)
      return .list((0..<n).map { _ in .int(g.nextDouble() < p ? 1 : 0) })
    case .half(let n, let pruneRatio):
      // VEGA's HALF: all ones with probability 1 − prune_ratio, else ⌊n/2⌋ random ones.
      if g.nextDouble() < 1 - pruneRatio { return .list(Array(repeating: .int(1), count: n)) }
      return Domain.bitList(n, ones: Set(g.permutation(n).prefix(n / 2)))
    case .fairBits(let n):
      return .list((0..<n).map { _ in .int(g.bernoulli(0.5) ? 1 : 0) })
    case .ints(let r):
      return .list(r.map { .int(g.int(in: $0)) })
    case .positions(let n, let k):
      let size = k ?? g.int(in: 1...n)
      return .list(g.permutation(n).prefix(size).sorted().map { .int($0) })
    case .edges(let pairs, let count):
      let picked = g.permutation(pairs.count).prefix(count ?? 1).map { pairs[$0] }
      return count == nil ? picked[0] : .list(picked)
    }
  }
}
