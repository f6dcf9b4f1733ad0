/// Enumerations: per-coordinate descriptions, grid values and nearby alternatives.
extension Domain {
  func dimensions(key: String) -> [Dimension] {
    switch self {
    case .numeric(let lo, let hi, let integer, let log):
      return [Dimension(key: key, kind: integer ? .discrete(levels: Int(hi - lo) + 1) : .continuous, isLog: log)]
    case .choices(let c):
      return [Dimension(key: key, kind: .categorical(choices: c.count))]
    case .bits(let n, _), .half(let n, _), .fairBits(let n), .positions(let n, _):
      return (0..<n).map { Dimension(key: key, element: $0, kind: .discrete(levels: 2)) }
    case .ints(let r):
      return r.enumerated().map { Dimension(key: key, element: $0, kind: .discrete(levels: $1.count)) }
    case .edges(let pairs, let count):
      return (0..<(count ?? 1)).map { Dimension(key: key, element: $0, kind: .categorical(choices: pairs.count)) }
    }
  }

  /// `n` evenly spaced unit points including both ends (one point: the middle).
  static func spaced(_ n: Int) -> [Double] { n == 1 ? [0.5] : (0..<n).map { Double($0) / Double(n - 1) } }

  func gridValues(slices: Int) -> [ParamValue] {
    let cap = Domain.gridCap
    switch self {
    case .numeric:
      return unique(Domain.spaced(max(1, slices)).map { decode([$0]) })
    case .choices(let c):
      return c
    case .bits(let n, nil), .fairBits(let n):
      let total = n >= 62 ? cap : min(cap, 1 << n)
      return (0..<total).map { i in .list((0..<n).map { .int((i >> (n - 1 - $0)) & 1) }) }
    case .bits(let n, let k?):
      return Domain.combinations(n, k, cap: cap).map { Domain.bitList(n, ones: Set($0)) }
    case .half(let n, _):
      let allOnes: ParamValue = .list(Array(repeating: .int(1), count: n))
      let halves: [ParamValue] = Domain.combinations(n, n / 2, cap: cap - 1).map { Domain.bitList(n, ones: Set($0)) }
      return unique([allOnes] + halves)
    case .positions(let n, let k?):
      return Domain.combinations(n, k, cap: cap).map { .list($0.map { .int($0) }) }
    case .positions(let n, nil):
      var out: [ParamValue] = []
      for k in 1...n where out.count < cap { out += Domain.combinations(n, k, cap: cap - out.count).map { .list($0.map { .int($0) }) } }
      return out
    case .ints(let r):
      let per = r.map { rr in unique(Domain.spaced(max(1, slices)).map { u -> ParamValue in
        .int(Int(Domain.value(u, lo: Double(rr.lowerBound), hi: Double(rr.upperBound), log: false).rounded())) }) }
      return Domain.product(per, cap: cap).map { .list($0) }
    case .edges(let pairs, nil):
      return pairs
    case .edges(let pairs, let k?):
      return Domain.permutations(pairs.count, k, cap: cap).map { .list($0.map { pairs[$0] }) }
    }
  }

  /// Other valid values, nearest first in encoded L2 distance (ties to the larger
  /// encoding, as VEGA's category decode), at most `limit`.
  func alternatives(to v: ParamValue, limit: Int) -> [ParamValue] {
    let here = encode(v)
    var cands: [ParamValue]
    switch self {
    case .numeric(let lo, let hi, true, _):
      let x = v.wholeNumber ?? Int(lo)
      cands = []
      var d = 1
      while cands.count < limit && (x - d >= Int(lo) || x + d <= Int(hi)) {
        if x + d <= Int(hi) { cands.append(.int(x + d)) }
        if x - d >= Int(lo) { cands.append(.int(x - d)) }
        d += 1
      }
    case .numeric:
      // A forbidden float is a point: step away in encoded space by 1/4096 at a time.
      var points: [Double] = []
      for j in 1...max(1, limit) {
        let step = Double(j) / 4096
        points.append(here[0] + step)
        points.append(here[0] - step)
      }
      cands = points.filter { $0 >= 0 && $0 <= 1 }.map { decode([$0]) }
    case .choices(let c):
      cands = c
    case .edges(let pairs, nil):
      cands = pairs
    default:
      cands = neighbours(of: v)
    }
    let scored = unique(cands).filter { !$0.matches(v) && problem(with: $0) == nil }.map { c -> (ParamValue, Double, [Double]) in
      let e = encode(c)
      return (c, zip(e, here).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }, e)
    }
    return scored.sorted { a, b in a.1 != b.1 ? a.1 < b.1 : a.2.lexicographicallyPrecedes(b.2, by: >) }
      .prefix(limit).map(\.0)
  }

  /// Valid values one small step from `v` (an array type): a bit flipped, a one swapped
  /// with a zero, an element moved by one, an edge replaced.
  func neighbours(of v: ParamValue) -> [ParamValue] {
    let u = encode(v)
    var out: [ParamValue] = []
    switch self {
    case .bits(_, nil), .fairBits, .positions(_, nil):
      for i in u.indices { var w = u; w[i] = 1 - w[i]; out.append(decodeExact(w)) }
    case .bits(_, _?), .positions(_, _?):
      for i in u.indices where u[i] == 1 { for j in u.indices where u[j] == 0 { var w = u; w[i] = 0; w[j] = 1; out.append(decodeExact(w)) } }
    case .half(let n, _):
      if u.allSatisfy({ $0 == 1 }) {
        for s in 0..<n { out.append(Domain.bitList(n, ones: Set((0..<(n / 2)).map { ($0 + s) % n }))) }
      } else {
        out.append(.list(Array(repeating: .int(1), count: n)))
        for i in u.indices where u[i] == 1 { for j in u.indices where u[j] == 0 { var w = u; w[i] = 0; w[j] = 1; out.append(decodeExact(w)) } }
      }
    case .ints(let r):
      if case .list(let l) = v {
        for i in l.indices { for d in [1, -1] {
          if let x = l[i].wholeNumber, r[i].contains(x + d) { var m = l; m[i] = .int(x + d); out.append(.list(m)) }
        } }
      }
    case .edges(let pairs, _?):
      if case .list(let l) = v {
        for i in l.indices { for p in pairs where !l.contains(where: { $0.matches(p) }) { var m = l; m[i] = p; out.append(.list(m)) } }
      }
    default:
      break
    }
    return out
  }

  /// Decodes a 0/1 vector built from a valid one (no NaN, already in range).
  private func decodeExact(_ w: [Double]) -> ParamValue { decode(w) }

  static func combinations(_ n: Int, _ k: Int, cap: Int) -> [[Int]] {
    guard k >= 0, k <= n, cap > 0 else { return [] }
    var out: [[Int]] = [], c = Array(0..<k)
    while out.count < cap {
      out.append(c)
      var i = k - 1
      while i >= 0 && c[i] == n - k + i { i -= 1 }
      if i < 0 { break }
      c[i] += 1
      for j in (i + 1)..<k { c[j] = c[j - 1] + 1 }
    }
    return out
  }

  static func permutations(_ n: Int, _ k: Int, cap: Int) -> [[Int]] {
    var out: [[Int]] = []
    func go(_ cur: [Int]) {
      if out.count >= cap { return }
      if cur.count == k { out.append(cur); return }
      for i in 0..<n where !cur.contains(i) { go(cur + [i]) }
    }
    go([])
    return out
  }

  static func product<T>(_ sets: [[T]], cap: Int) -> [[T]] {
    var out: [[T]] = [[]]
    for s in sets {
      var next: [[T]] = []
      outer: for p in out { for x in s { next.append(p + [x]); if next.count >= cap { break outer } } }
      out = next
    }
    return out
  }
}

/// Values in first-seen order without repeats.
func unique(_ values: [ParamValue]) -> [ParamValue] {
  var seen = Set<ParamValue>(), out: [ParamValue] = []
  for v in values where seen.insert(v).inserted { out.append(v) }
  return out
}
