import Foundation

/// A hyperparameter's validated range, in the form its sampler and codec need.
enum Domain: Sendable {
  /// INT, INT_EXP, FLOAT, FLOAT_EXP over [lo, hi] inclusive; `log`: uniform in log10.
  case numeric(lo: Double, hi: Double, integer: Bool, log: Bool)
  /// CATEGORY and BOOL (and the old INT_CAT, FLOAT_CAT, STRING).
  case choices([ParamValue])
  /// BINARY_CODE `[n]` or `[n, k]` (exactly k ones).
  case bits(n: Int, ones: Int?)
  /// HALF `[n]` or `[n, prune_ratio]`.
  case half(n: Int, pruneRatio: Double)
  /// BinaryArray `[n]`: n fair bits.
  case fairBits(n: Int)
  /// IntArray: one inclusive int range per element.
  case ints([ClosedRange<Int>])
  /// MultiPositionArray `[n]` or `[n, k]`: which positions of an n-long list are chosen.
  case positions(n: Int, k: Int?)
  /// ADJACENCY_LIST: edges between the declared nodes; `count` distinct edges
  /// (VEGA's `sample_num`), or nil for a single edge as the value itself.
  case edges(pairs: [ParamValue], count: Int?)

  /// Grid enumeration of array types stops after this many values.
  static let gridCap = 4096

  var width: Int {
    switch self {
    case .numeric, .choices: return 1
    case .bits(let n, _), .half(let n, _), .fairBits(let n), .positions(let n, _): return n
    case .ints(let r): return r.count
    case .edges(_, let c): return c ?? 1
    }
  }

  static func make(key: String, type: ParamType, range: [ParamValue], sampleNum: Int?) throws -> Domain {
    func fail(_ why: String) -> SpaceError { SpaceError("\(key): \(why) (type \(type.rawValue), range \(ParamValue.list(range)))") }
    // Array lengths size every sample: bounded so that a typo is an error, not an
    // allocation of terabytes.
    func count(_ v: ParamValue, min lo: Int, what: String) throws -> Int {
      guard let n = v.wholeNumber, n >= lo else { throw fail("\(what) must be an integer ≥ \(lo)") }
      guard n <= Domain.maxLength else { throw fail("\(what) must be at most \(Domain.maxLength), got \(n)") }
      return n
    }
    switch type {
    case .int, .intExp, .float, .floatExp:
      if range.isEmpty { throw fail("empty range") }
      guard range.count == 2, let lo = range[0].plainNumber, let hi = range[1].plainNumber, lo.isFinite, hi.isFinite else {
        throw fail("range must be two numbers [low, high]")
      }
      let integer = type == .int || type == .intExp, log = type == .intExp || type == .floatExp
      if integer, range[0].wholeNumber == nil || range[1].wholeNumber == nil { throw fail("bounds must be integers") }
      if log, lo <= 0 || hi <= 0 { throw fail("log-scale bounds must be positive") }
      if lo > hi { throw fail("inverted range: low \(lo) > high \(hi)") }
      return .numeric(lo: lo, hi: hi, integer: integer, log: log)
    case .category:
      if range.isEmpty { throw fail("empty range") }
      for (i, v) in range.enumerated() where range[..<i].contains(where: { $0.matches(v) }) {
        throw fail("duplicate choice \(v)")
      }
      return .choices(range)
    case .bool:
      if range.isEmpty { return .choices([.bool(false), .bool(true)]) }
      guard range.allSatisfy({ if case .bool = $0 { return true } else { return false } }) else {
        throw fail("BOOL choices must be true/false")
      }
      for (i, v) in range.enumerated() where range[..<i].contains(v) { throw fail("duplicate choice \(v)") }
      return .choices(range)
    case .binaryCode:
      guard range.count == 1 || range.count == 2 else { throw fail("range must be [n] or [n, k]") }
      let n = try count(range[0], min: 1, what: "length n")
      let k = range.count == 2 ? try count(range[1], min: 0, what: "ones k") : nil
      if let k, k > n { throw fail("ones k=\(k) exceeds length n=\(n)") }
      return .bits(n: n, ones: k)
    case .half:
      guard range.count == 1 || range.count == 2 else { throw fail("range must be [n] or [n, prune_ratio]") }
      let n = try count(range[0], min: 1, what: "length n")
      var ratio = 0.2
      if range.count == 2 {
        guard let r = range[1].plainNumber, r >= 0, r <= 1 else { throw fail("prune_ratio must be in [0, 1]") }
        ratio = r
      }
      return .half(n: n, pruneRatio: ratio)
    case .binaryArray:
      guard range.count == 1 else { throw fail("range must be [n]") }
      return .fairBits(n: try count(range[0], min: 1, what: "length n"))
    case .intArray:
      return .ints(try intArrayRanges(range, fail: fail))
    case .multiPositionArray:
      guard range.count == 1 || range.count == 2 else { throw fail("range must be [n] or [n, k]") }
      let n = try count(range[0], min: 1, what: "length n")
      let k = range.count == 2 ? try count(range[1], min: 1, what: "positions k") : nil
      if let k, k > n { throw fail("positions k=\(k) exceeds length n=\(n)") }
      return .positions(n: n, k: k)
    case .adjacencyList:
      guard range.count >= 2 else { throw fail("needs at least two nodes") }
      for (i, v) in range.enumerated() where range[..<i].contains(where: { $0.matches(v) }) { throw fail("duplicate node \(v)") }
      var pairs: [ParamValue] = []
      for i in 0..<range.count { for j in (i + 1)..<range.count where j > i { pairs.append(.list([range[i], range[j]])) } }
      if let k = sampleNum, k < 1 || k > pairs.count { throw fail("sample_num must be in 1...\(pairs.count)") }
      return .edges(pairs: pairs, count: sampleNum)
    }
  }

  /// IntArray ranges: `[[lo, hi], [lo, hi], ...]` (one per element) or `[n, lo, hi]`.
  private static func intArrayRanges(_ range: [ParamValue], fail: (String) -> SpaceError) throws -> [ClosedRange<Int>] {
    if range.isEmpty { throw fail("empty range") }
    var out: [ClosedRange<Int>] = []
    if case .list = range[0] {
      for r in range {
        guard case .list(let p) = r, p.count == 2, let lo = p[0].wholeNumber, let hi = p[1].wholeNumber else {
          throw fail("each element range must be [low, high] integers")
        }
        if lo > hi { throw fail("inverted element range [\(lo), \(hi)]") }
        out.append(lo...hi)
      }
    } else {
      guard range.count == 3, let n = range[0].wholeNumber, let lo = range[1].wholeNumber, let hi = range[2].wholeNumber else {
        throw fail("range must be [[low, high], ...] or [n, low, high] integers")
      }
      if n < 1 { throw fail("length n must be ≥ 1") }
      if n > Domain.maxLength { throw fail("length n must be at most \(Domain.maxLength), got \(n)") }
      if lo > hi { throw fail("inverted range: low \(lo) > high \(hi)") }
      out = Array(repeating: lo...hi, count: n)
    }
    return out
  }
}

extension Domain {
  /// The longest array (BINARY_CODE, IntArray, ...) a space may declare: 2^20 elements,
  /// far beyond any real architecture encoding, far below an allocation that would abort.
  static let maxLength = 1 << 20
}
