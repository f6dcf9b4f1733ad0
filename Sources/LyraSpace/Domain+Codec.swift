import Foundation

/// Encoding to and from [0, 1] (docs/architecture.md#search-spaces-and-the-unit-cube). Array types spend one coordinate per
/// element; decoding picks the valid value nearest (in L2) to the coordinates.
extension Domain {
  /// Numeric value → unit coordinate: linear, or linear in log10 for `*_EXP` (VEGA
  /// stores `*_EXP` ranges as log10 and samples uniformly there).
  static func unit(_ v: Double, lo: Double, hi: Double, log: Bool) -> Double {
    let (a, b, x) = log ? (log10(lo), log10(hi), log10(v)) : (lo, hi, v)
    if b == a { return 0.5 }
    return min(max((x - a) / (b - a), 0), 1)
  }

  /// Unit coordinate → numeric value, clamped to [lo, hi] like VEGA's `clip(10^x)`.
  static func value(_ u: Double, lo: Double, hi: Double, log: Bool) -> Double {
    if hi == lo { return lo }
    let x = log ? pow(10, log10(lo) + u * (log10(hi) - log10(lo))) : lo + u * (hi - lo)
    return min(max(x, lo), hi)
  }

  /// Index i of n ↦ i/(n−1); a single choice sits at 0.5.
  static func unit(index i: Int, of n: Int) -> Double { n == 1 ? 0.5 : Double(i) / Double(n - 1) }

  /// The nearest index, ties to the larger (VEGA's `CatHyperParameter.decode`).
  static func index(_ u: Double, of n: Int) -> Int {
    n == 1 ? 0 : min(n - 1, max(0, Int((u * Double(n - 1) + 0.5).rounded(.down))))
  }

  /// The k indices with the largest coordinates (ties to the lower index): the k-hot
  /// vector nearest to `u`.
  static func topK(_ u: [Double], _ k: Int) -> Set<Int> {
    Set(u.indices.sorted { u[$0] != u[$1] ? u[$0] > u[$1] : $0 < $1 }.prefix(k))
  }

  static func bitList(_ n: Int, ones: Set<Int>) -> ParamValue { .list((0..<n).map { .int(ones.contains($0) ? 1 : 0) }) }

  func encode(_ v: ParamValue) -> [Double] {
    switch self {
    case .numeric(let lo, let hi, _, let log):
      return [Domain.unit(v.plainNumber ?? lo, lo: lo, hi: hi, log: log)]
    case .choices(let c):
      return [Domain.unit(index: c.firstIndex(where: { $0.matches(v) }) ?? 0, of: c.count)]
    case .bits, .half, .fairBits:
      guard case .list(let l) = v else { return Array(repeating: 0.5, count: width) }
      return l.map { ($0.number ?? 0) >= 0.5 ? 1 : 0 }
    case .ints(let r):
      guard case .list(let l) = v, l.count == r.count else { return Array(repeating: 0.5, count: r.count) }
      return zip(l, r).map { Domain.unit($0.plainNumber ?? Double($1.lowerBound), lo: Double($1.lowerBound), hi: Double($1.upperBound), log: false) }
    case .positions(let n, _):
      guard case .list(let l) = v else { return Array(repeating: 0.5, count: n) }
      let chosen = Set(l.compactMap(\.wholeNumber))
      return (0..<n).map { chosen.contains($0) ? 1 : 0 }
    case .edges(let pairs, let count):
      let items: [ParamValue]
      if count == nil { items = [v] } else if case .list(let l) = v { items = l } else { items = [] }
      return items.map { e in Domain.unit(index: pairs.firstIndex(where: { $0.matches(e) }) ?? 0, of: pairs.count) }
    }
  }

  /// `u` is already clamped to [0, 1] and free of NaN.
  func decode(_ u: [Double]) -> ParamValue {
    switch self {
    case .numeric(let lo, let hi, let integer, let log):
      let x = Domain.value(u[0], lo: lo, hi: hi, log: log)
      return integer ? .int(Int(x.rounded())) : .double(x)
    case .choices(let c):
      return c[Domain.index(u[0], of: c.count)]
    case .bits(let n, let ones):
      if let k = ones { return Domain.bitList(n, ones: Domain.topK(u, k)) }
      return .list(u.map { .int($0 >= 0.5 ? 1 : 0) })
    case .fairBits:
      return .list(u.map { .int($0 >= 0.5 ? 1 : 0) })
    case .half(let n, _):
      // The two valid shapes (VEGA's HalfCodeHyperParameter): all ones, or ⌊n/2⌋ ones.
      let half = Domain.topK(u, n / 2)
      let dAll = u.reduce(0) { $0 + (1 - $1) * (1 - $1) }
      let dHalf = u.indices.reduce(0.0) { s, i in s + (half.contains(i) ? (1 - u[i]) * (1 - u[i]) : u[i] * u[i]) }
      return dAll <= dHalf ? .list(Array(repeating: .int(1), count: n)) : Domain.bitList(n, ones: half)
    case .ints(let r):
      return .list(zip(u, r).map { .int(Int(Domain.value($0, lo: Double($1.lowerBound), hi: Double($1.upperBound), log: false).rounded())) })
    case .positions(let n, let k):
      var chosen: Set<Int>
      if let k { chosen = Domain.topK(u, k) } else {
        chosen = Set(u.indices.filter { u[$0] >= 0.5 })
        if chosen.isEmpty { chosen = Domain.topK(u, 1) }
      }
      return .list((0..<n).filter(chosen.contains).map { .int($0) })
    case .edges(let pairs, let count):
      var used = Set<Int>(), picked: [ParamValue] = []
      for x in u {
        var i = Domain.index(x, of: pairs.count)
        if used.contains(i) {
          // Distinct edges (VEGA draws k-permutations): move to the nearest unused one.
          let free = pairs.indices.filter { !used.contains($0) }
          i = free.min { a, b in
            let da = abs(Domain.unit(index: a, of: pairs.count) - x), db = abs(Domain.unit(index: b, of: pairs.count) - x)
            return da != db ? da < db : a > b
          }!
        }
        used.insert(i)
        picked.append(pairs[i])
      }
      return count == nil ? picked[0] : .list(picked)
    }
  }

  /// Why `v` is not a value of this domain, or nil when it is.
  func problem(with v: ParamValue) -> String? {
    func bitsOf(_ n: Int) -> [Int]? {
      guard case .list(let l) = v, l.count == n else { return nil }
      let b = l.compactMap(\.wholeNumber)
      return b.count == n && b.allSatisfy({ $0 == 0 || $0 == 1 }) ? b : nil
    }
    switch self {
    case .numeric(let lo, let hi, let integer, _):
      guard let x = v.plainNumber else { return "\(v) is not a number" }
      if integer, v.wholeNumber == nil { return "\(v) is not an integer" }
      return x >= lo && x <= hi ? nil : "\(v) is outside [\(lo), \(hi)]"
    case .choices(let c):
      return c.contains(where: { $0.matches(v) }) ? nil : "\(v) is not one of \(ParamValue.list(c))"
    case .bits(let n, let ones):
      guard let b = bitsOf(n) else { return "\(v) is not a list of \(n) bits" }
      if let k = ones, b.reduce(0, +) != k { return "\(v) must have exactly \(k) ones" }
      return nil
    case .fairBits(let n):
      return bitsOf(n) == nil ? "\(v) is not a list of \(n) bits" : nil
    case .half(let n, _):
      guard let b = bitsOf(n) else { return "\(v) is not a list of \(n) bits" }
      let s = b.reduce(0, +)
      return s == n || s == n / 2 ? nil : "\(v) must be all ones or have \(n / 2) ones"
    case .ints(let r):
      guard case .list(let l) = v, l.count == r.count else { return "\(v) is not a list of \(r.count) integers" }
      for (i, (x, rr)) in zip(l, r).enumerated() {
        guard let k = x.wholeNumber, rr.contains(k) else { return "element \(i) (\(x)) is outside [\(rr.lowerBound), \(rr.upperBound)]" }
      }
      return nil
    case .positions(let n, let k):
      guard case .list(let l) = v else { return "\(v) is not a list of positions" }
      let p = l.compactMap(\.wholeNumber)
      guard p.count == l.count, p.allSatisfy({ $0 >= 0 && $0 < n }), p == p.sorted(), Set(p).count == p.count else {
        return "\(v) must be distinct increasing positions in 0..<\(n)"
      }
      if let k, p.count != k { return "\(v) must choose exactly \(k) positions" }
      return p.isEmpty ? "\(v) must choose at least one position" : nil
    case .edges(let pairs, let count):
      let items: [ParamValue]
      if count == nil { items = [v] } else if case .list(let l) = v, l.count == count { items = l } else {
        return "\(v) is not a list of \(count!) edges"
      }
      for e in items where !pairs.contains(where: { $0.matches(e) }) { return "\(e) is not an edge between the declared nodes" }
      for (i, e) in items.enumerated() where items[..<i].contains(where: { $0.matches(e) }) { return "edge \(e) repeats" }
      return nil
    }
  }
}
