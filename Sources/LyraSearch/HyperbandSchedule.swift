/// Which published Hyperband bracket table to use.
public enum HyperbandVariant: String {
  /// Li et al., JMLR 2018, Algorithm 1: bracket s starts n = ⌈(s_max+1)·η^s/(s+1)⌉
  /// configs; rung i keeps ⌊n·η^(−i)⌋. For R = 81, η = 3: 81, 34, 15, 8, 5 configs.
  case li
  /// HpBandSter 0.7.4 (the BOHB paper's code): n0 = ⌊S/(s+1)⌋·η^s and
  /// n_i = max(⌊n0·η^(−i)⌋, 1). For R = 81, η = 3: 81, 27, 9, 6, 5 configs.
  case hpbandster
}

/// One bracket's successive-halving plan: `counts[i]` configs evaluated at `budgets[i]`;
/// the best `counts[i+1]` of rung i go on to rung i+1.
public struct BracketPlan: Equatable, CustomStringConvertible {
  public let s: Int
  public let counts: [Int]
  public let budgets: [Double]
  public var description: String { "s=\(s): " + zip(counts, budgets).map { "\($0)@\($1)" }.joined(separator: " → ") }
}

/// Hyperband's bracket table (Li, Jamieson, DeSalvo, Rostamizadeh, Talwalkar,
/// "Hyperband: A Novel Bandit-Based Approach to Hyperparameter Optimization", JMLR 2018),
/// in either published variant.
public enum HyperbandSchedule {
  /// s_max = ⌊log_η(max/min)⌋, computed with integer powers so that 81/1 at η = 3 is
  /// exactly 4 (a floating log can land on 3.9999…).
  public static func sMax(minBudget: Double, maxBudget: Double, eta: Int) -> Int {
    precondition(minBudget > 0 && maxBudget >= minBudget && eta >= 2, "Hyperband needs 0 < minBudget ≤ maxBudget and η ≥ 2")
    let ratio = maxBudget / minBudget
    var s = 0
    var p = 1.0
    while p * Double(eta) <= ratio * (1 + 1e-9) { p *= Double(eta); s += 1 }
    return s
  }

  static func pow(_ eta: Int, _ k: Int) -> Int { (0..<k).reduce(1) { a, _ in a * eta } }

  /// Budget at rung i of bracket s: maxBudget·η^(i−s) (both variants).
  public static func budget(maxBudget: Double, eta: Int, s: Int, rung i: Int) -> Double {
    maxBudget / Double(pow(eta, s - i))
  }

  /// The brackets in the order Hyperband runs them: s = s_max, s_max−1, …, 0.
  public static func brackets(minBudget: Double, maxBudget: Double, eta: Int, variant: HyperbandVariant) -> [BracketPlan] {
    let sm = sMax(minBudget: minBudget, maxBudget: maxBudget, eta: eta)
    return stride(from: sm, through: 0, by: -1).map { s in
      let counts: [Int]
      switch variant {
      case .li:
        // n = ⌈(B/R)·η^s/(s+1)⌉ with B = (s_max+1)·R.
        let n = ((sm + 1) * pow(eta, s) + s) / (s + 1)
        counts = (0...s).map { n / pow(eta, $0) }
      case .hpbandster:
        let n0 = ((sm + 1) / (s + 1)) * pow(eta, s)
        counts = (0...s).map { max(n0 / pow(eta, $0), 1) }
      }
      return BracketPlan(s: s, counts: counts, budgets: (0...s).map { budget(maxBudget: maxBudget, eta: eta, s: s, rung: $0) })
    }
  }
}
