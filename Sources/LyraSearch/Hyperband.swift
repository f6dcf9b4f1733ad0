import LyraBase
import LyraSpace

/// Hyperband (Li et al., JMLR 2018): brackets of synchronous successive halving
/// (Jamieson & Talwalkar, AISTATS 2016) that trade many cheap configs against few
/// expensive ones, cycling s = s_max … 0.
///
/// Inside a bracket a rung is synchronous: `ask` returns nil while the rung's results
/// are still out, then the best `counts[i+1]` (first objective; failures and NaN worst;
/// ties to the earlier config) are promoted in their original order. A promoted trial
/// is a new trial with the higher budget and `resumeFrom` = its previous trial, so an
/// executor can continue from the checkpoint (HpBandSter re-trains from scratch; the
/// budget accounting is the same).
///
/// With `overlapBrackets` the next bracket starts whenever every running bracket is
/// waiting, as HpBandSter's master does; without it (default) brackets run one after
/// another, the textbook algorithm. With one worker the two are identical.
///
/// `iterations` counts brackets (HpBandSter's `n_iterations`); the default is one
/// full cycle of s_max+1 brackets.
open class Hyperband: SearchBase {
  public let space: SearchSpace
  public let seed: UInt64
  public let minBudget: Double
  public let maxBudget: Double
  public let eta: Int
  public let variant: HyperbandVariant
  public let iterations: Int
  public let overlapBrackets: Bool
  /// The bracket table, in run order (cycled).
  public let plans: [BracketPlan]
  var streams: RandomStreams

  final class Bracket {
    let index: Int
    let plan: BracketPlan
    var rung = 0
    /// Configs for the current rung above 0, with the trial each resumes from.
    var queue: [(config: Config, from: Int)] = []
    /// Trials handed out at the current rung, in order.
    var issued: [Int] = []
    var told = 0
    var finished = false
    init(index: Int, plan: BracketPlan) { self.index = index; self.plan = plan }
    var toIssue: Int { plan.counts[rung] - issued.count }
  }

  private var brackets: [Bracket] = []
  private var bracketOf: [Int: Bracket] = [:]

  public init(space: SearchSpace, objectives: [Objective] = [Objective("loss")], seed: UInt64 = 0, minBudget: Double, maxBudget: Double,
              eta: Int = 3, variant: HyperbandVariant = .li, iterations: Int? = nil, overlapBrackets: Bool = false) {
    self.space = space
    self.seed = seed
    self.minBudget = minBudget
    self.maxBudget = maxBudget
    self.eta = eta
    self.variant = variant
    self.plans = HyperbandSchedule.brackets(minBudget: minBudget, maxBudget: maxBudget, eta: eta, variant: variant)
    self.iterations = iterations ?? plans.count
    self.overlapBrackets = overlapBrackets
    self.streams = RandomStreams(seed: seed)
    super.init(objectives: objectives)
  }

  /// A new configuration for rung 0 of a bracket whose bottom budget is `budget`.
  /// Hyperband samples the prior; BOHB overrides this with its model.
  open func sampleConfig(budget: Double) -> Config { space.sample(streams.next()) }

  /// Number of brackets started so far.
  public var bracketsStarted: Int { brackets.count }

  public override func propose() -> Trial? {
    while true {
      for b in brackets where !b.finished && b.toIssue > 0 {
        return issue(b)
      }
      let active = brackets.contains { !$0.finished }
      guard brackets.count < iterations, !active || overlapBrackets else { return nil }
      brackets.append(Bracket(index: brackets.count, plan: plans[brackets.count % plans.count]))
    }
  }

  private func issue(_ b: Bracket) -> Trial {
    let budget = b.plan.budgets[b.rung]
    let t: Trial
    if b.rung == 0 {
      t = newTrial(sampleConfig(budget: budget), budget: budget, rung: 0, bracket: b.index)
    } else {
      let q = b.queue[b.issued.count]
      t = newTrial(q.config, budget: budget, rung: b.rung, bracket: b.index, resumeFrom: q.from)
    }
    b.issued.append(t.id)
    bracketOf[t.id] = b
    return t
  }

  open override func observe(_ trial: Trial, _ result: TrialResult) {
    guard let b = bracketOf[trial.id] else { return }
    b.told += 1
    guard b.toIssue == 0, b.told == b.issued.count else { return }
    // The rung is complete: promote the best counts[rung+1], in their original order.
    guard b.rung + 1 < b.plan.counts.count else { b.finished = true; return }
    let losses = b.issued.map { history.loss($0) ?? .infinity }
    let keep = Set(Ranking.order(losses).prefix(b.plan.counts[b.rung + 1]))
    b.queue = b.issued.indices.filter { keep.contains($0) }.map { (history.trial(b.issued[$0])!.config, b.issued[$0]) }
    b.rung += 1
    b.issued = []
    b.told = 0
  }

  public override var exhausted: Bool { brackets.count >= iterations && brackets.allSatisfy(\.finished) }

  open override var settings: JSON {
    .object(["algorithm": .string("hyperband"), "seed": StateCodec.uint64(seed), "min_budget": StateCodec.double(minBudget),
             "max_budget": StateCodec.double(maxBudget), "eta": JSON(eta), "variant": .string(variant.rawValue),
             "iterations": JSON(iterations), "overlap": .bool(overlapBrackets)])
  }
}
