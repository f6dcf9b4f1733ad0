import Foundation
import LyraSpace

/// One sub-bracket of BOSS: the sub-sampling (SS) bandit of Huang, Li, Ye, Li, Zhang
/// ("An asymptotically optimal multi-armed bandit algorithm and hyperparameter
/// optimization", arXiv 2007.05670) laid out on successive-halving rungs the way VEGA's
/// `sha_base/ssa.py` runs it (docs/algorithms/boss.md).
///
/// Rungs hold K, ⌊K/η⌋, ⌊K/η²⌋, … configs (down to 1) at budgets b, bη, bη², … capped at
/// the maximum, every budget at least b·η^(c−1) with c = ⌊√ln(Kη/(η−1))⌋ (larger
/// sub-brackets start later, since their first rung is too noisy to rank). When a rung is
/// complete, the *leader* is the best config at that rung and every other config of the
/// sub-bracket is a *challenger*, scored by its loss minus the leader's at the highest
/// rung both have a result for; the leader and the n−1 best challengers go up. Unlike
/// plain successive halving, a config dropped earlier can come back when its margin to the
/// leader at its last shared rung beats the others' (SS's "sub-sample comparison": every
/// arm is compared with the leader on equally many observations).
///
/// Deviations from VEGA's code, both bugs there: VEGA compares nothing at rung 0 (its
/// `while rung_max > 0` leaves every rung-0-only challenger at difference 0, so the first
/// promotion goes by config id), and it hands out rung 0 at the un-raised budget although
/// its own `budget_list` (used for the surrogate's data) holds the raised one.
public struct BOSSSubBracket {
  /// Configs by index (VEGA's config ids within the sub-bracket).
  public let configs: [Config]
  /// Per rung: how many configs run it and at which budget.
  public let rungs: [(count: Int, budget: Double)]
  /// losses[rung][config] (first objective, +inf for failures); nil when not evaluated.
  public private(set) var losses: [[Double?]]
  /// The rung being run and its members (config indices, in promotion order).
  public private(set) var rung = 0
  public private(set) var members: [Int]
  /// Members of the current rung not handed out yet, lowest index first (VEGA's order).
  public private(set) var waiting: [Int]
  private var outstanding = 0

  public init(configs: [Config], minBudget: Double, maxBudget: Double, eta: Int) {
    self.configs = configs
    self.rungs = BOSSSubBracket.rungs(count: configs.count, minBudget: minBudget, maxBudget: maxBudget, eta: eta)
    self.losses = rungs.map { _ in Array(repeating: nil, count: configs.count) }
    self.members = Array(configs.indices)
    self.waiting = members
  }

  /// VEGA's `SSA.__init__` layout: sizes K, ⌊K/η⌋, … while nonzero; budgets
  /// min(max(b·ηⁱ, b·η^(c−1)), maxBudget) with c = ⌊√ln(Kη/(η−1))⌋ (no raise when c < 2).
  public static func rungs(count k: Int, minBudget b: Double, maxBudget: Double, eta: Int) -> [(count: Int, budget: Double)] {
    let e = Double(eta)
    let c = Int(sqrt(log(Double(k) * e / (e - 1))))
    let raised = c >= 2 ? b * pow(e, Double(c - 1)) : b
    var out: [(Int, Double)] = []
    var n = k, budget = b
    while n != 0 {
      out.append((n, min(max(budget, raised), maxBudget)))
      n /= eta
      budget *= e
    }
    return out
  }

  public var isComplete: Bool { rung == rungs.count - 1 && waiting.isEmpty && outstanding == 0 }

  /// The next config index to run at the current rung, or nil (rung handed out).
  public mutating func next() -> Int? {
    guard !waiting.isEmpty else { return nil }
    outstanding += 1
    return waiting.removeFirst()
  }

  /// Records a result at `rung`; when the rung is complete, promotes to the next.
  public mutating func record(config i: Int, rung r: Int, loss: Double) {
    losses[r][i] = loss.isNaN ? .infinity : loss
    outstanding -= 1
    if waiting.isEmpty && outstanding == 0 && rung + 1 < rungs.count {
      members = promoted(count: rungs[rung + 1].count)
      waiting = members.sorted()
      rung += 1
    }
  }

  /// The SS rule at the current rung: the leader, then challengers by margin.
  public func promoted(count n: Int) -> [Int] {
    let here = members.filter { losses[rung][$0] != nil }
    guard let leader = here.min(by: { (losses[rung][$0]!, $0) < (losses[rung][$1]!, $1) }) else { return Array(members.prefix(n)) }
    var margins: [(Int, Double)] = []
    for c in configs.indices where c != leader {
      var m = Double.infinity
      for r in stride(from: rungs.count - 1, through: 0, by: -1) {
        if let lc = losses[r][c], let ll = losses[r][leader] {
          m = lc - ll
          if m.isNaN { m = .infinity }
          break
        }
      }
      margins.append((c, m))
    }
    let ranked = margins.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
    return [leader] + ranked.prefix(n - 1).map(\.0)
  }
}
