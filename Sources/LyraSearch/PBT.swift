import LyraBase
import LyraSpace

/// Population Based Training (Jaderberg et al., "Population Based Training of Neural
/// Networks", 2017), with Ray Tune's exploit/explore rules (docs/algorithms/pbt.md).
///
/// `population` lineages train in segments of `perturbationInterval` budget units. Each
/// segment is one `Trial`: `budget` is the total to reach, `rung` the segment index,
/// `bracket` the population slot, and `resumeFrom` the trial whose checkpoint to load
/// (the lineage's previous segment, or the donor's after an exploit). After a segment,
/// members in the bottom `quantile` (by the first objective, among the members that have
/// reached that budget) *exploit* a random top-`quantile` member — copy its checkpoint and
/// hyperparameters — and *explore* them (`PBTExplore`, Ray Tune's rule).
///
/// Why compare at equal budgets and, by default, synchronously (VEGA's PBT; Ray's
/// `synch=True`): a loss after 6 epochs is not comparable with one after 3, and deciding
/// all members of a round together makes the result independent of worker timing. With
/// `synchronous: false` each member decides as soon as it reports, against the members
/// that have reached the same budget so far (Ray's default asynchrony).
///
/// The product is not only the best final model but its *schedule*: `schedule(of:)`
/// follows the checkpoint chain back and lists the hyperparameters used per segment, so
/// a final training run (or PBA) can replay it.
///
/// What a member starts with and how an exploit changes the copied configuration are
/// `initialConfig` and `explored`: Ray's rule (`PBTExplore`) here; the `PBA` subclass
/// overrides both with PBA's (`PBAExplore`), which applies Ray's rule to the other keys.
public class PBT: SearchBase {
  public let space: SearchSpace
  public let seed: UInt64
  public let population: Int
  public let perturbationInterval: Double
  public let maxBudget: Double
  public let quantile: Double
  /// Ray's explore rule over `space` (for PBA: over the hyperparameters searched with the policy).
  public let explore: PBTExplore
  public let synchronous: Bool

  /// Per slot: the latest told trial of its lineage.
  public private(set) var latest: [Int?]
  private var started = 0
  private var queue: [Trial] = []
  /// Told trial ids per budget level (segment index), in tell order.
  private var reports: [Int: [Int]] = [:]
  private var finishedSlots = 0
  private var streams: RandomStreams

  public convenience init(space: SearchSpace, objectives: [Objective] = [Objective("loss")], seed: UInt64 = 0,
                          population: Int = 16, perturbationInterval: Double, maxBudget: Double, quantile: Double = 0.25,
                          resampleProbability: Double = 0.25, perturbFactors: (Double, Double) = (1.2, 0.8),
                          synchronous: Bool = true) {
    self.init(space: space, objectives: objectives, seed: seed, population: population, perturbationInterval: perturbationInterval,
              maxBudget: maxBudget, quantile: quantile, synchronous: synchronous,
              explore: PBTExplore(space: space, resampleProbability: resampleProbability, perturbFactors: perturbFactors))
  }

  /// A population whose first configurations and explore step come from `explore`
  /// (unless a subclass overrides `initialConfig` and `explored`).
  public init(space: SearchSpace, objectives: [Objective], seed: UInt64, population: Int, perturbationInterval: Double,
              maxBudget: Double, quantile: Double, synchronous: Bool, explore: PBTExplore) {
    precondition(population >= 2, "PBT needs a population of at least 2")
    precondition(perturbationInterval > 0 && maxBudget >= perturbationInterval, "PBT needs 0 < interval ≤ max budget")
    precondition(quantile > 0 && quantile <= 0.5, "PBT's quantile must be in (0, 0.5]")
    self.space = space
    self.seed = seed
    self.population = population
    self.perturbationInterval = perturbationInterval
    self.maxBudget = maxBudget
    self.quantile = quantile
    self.explore = explore
    self.synchronous = synchronous
    self.latest = Array(repeating: nil, count: population)
    self.streams = RandomStreams(seed: seed)
    super.init(objectives: objectives)
  }

  /// The first configuration of population member `member` (0-based).
  func initialConfig(member: Int, _ g: Generator) -> Config { explore.initial(member: member, g) }
  /// The explored copy of a donor's configuration.
  func explored(_ c: Config, _ g: Generator) -> Config { explore.perturb(c, g) }
  /// The explore rule's settings, part of the algorithm's (a restored search must match them).
  var exploreSettings: [String: JSON] { explore.settings }

  func endBudget(ofSegment k: Int) -> Double { min(Double(k + 1) * perturbationInterval, maxBudget) }

  public override func propose() -> Trial? {
    if started < population {
      let slot = started
      started += 1
      return newTrial(initialConfig(member: slot, streams.next()), budget: endBudget(ofSegment: 0), rung: 0, bracket: slot)
    }
    guard !queue.isEmpty else { return nil }
    let t = queue.removeFirst()
    return newTrial(t.config, budget: t.budget, rung: t.rung, bracket: t.bracket, resumeFrom: t.resumeFrom)
  }

  public override func observe(_ trial: Trial, _ result: TrialResult) {
    let slot = trial.bracket!, k = trial.rung!
    latest[slot] = trial.id
    reports[k, default: []].append(trial.id)
    if trial.budget! >= maxBudget {
      finishedSlots += 1
      return
    }
    if !synchronous {
      decide(trial, pool: reports[k]!, streams.next())
    } else if reports[k]!.count == population {
      // The round is complete: every member decides against the same pool, slot order.
      let g = streams.next()
      for id in reports[k]!.sorted(by: { history.trial($0)!.bracket! < history.trial($1)!.bracket! }) {
        decide(history.trial(id)!, pool: reports[k]!, g)
      }
    }
  }

  /// Ray's `_quantiles`: ⌈q·n⌉ members (at most ⌊n/2⌋) at each end of the ranking;
  /// nothing with fewer than two members. Ties rank the earlier report first.
  func quantiles(_ pool: [Int]) -> (bottom: [Int], top: [Int]) {
    guard pool.count > 1 else { return ([], []) }
    let ranked = Ranking.order(pool.map { history.loss($0)! }).map { pool[$0] }
    var m = Int((Double(pool.count) * quantile).rounded(.up))
    if m > pool.count / 2 { m = pool.count / 2 }
    return (Array(ranked.suffix(m)), Array(ranked.prefix(m)))
  }

  /// Queues the lineage's next segment: continue from its own checkpoint, or exploit a
  /// top member's checkpoint and explore its hyperparameters.
  func decide(_ trial: Trial, pool: [Int], _ g: Generator) {
    let (bottom, top) = quantiles(pool)
    let k = trial.rung!
    var config = trial.config, from = trial.id
    if bottom.contains(trial.id), !top.isEmpty {
      let donor = history.trial(top[g.int(below: top.count)])!
      config = explored(donor.config, g)
      from = donor.id
    }
    queue.append(Trial(id: -1, config: config, budget: endBudget(ofSegment: k + 1), rung: k + 1, bracket: trial.bracket, resumeFrom: from))
  }

  /// The hyperparameters a trial's checkpoint was trained with, segment by segment:
  /// `(budget, config)` means "from `budget` on (until the next entry), train with
  /// `config`", the first entry at budget 0. Follows `resumeFrom` through donors.
  public func schedule(of trialID: Int) -> [(budget: Double, config: Config)] {
    var chain: [Trial] = []
    var id: Int? = trialID
    while let i = id, let t = history.trial(i) {
      chain.append(t)
      id = t.resumeFrom
    }
    chain.reverse()
    return chain.enumerated().map { i, t in (i == 0 ? 0 : chain[i - 1].budget!, t.config) }
  }

  public override var exhausted: Bool { started == population && finishedSlots == population && queue.isEmpty }

  public override var settings: JSON {
    var o: [String: JSON] = ["algorithm": .string("pbt"), "seed": StateCodec.uint64(seed), "population": JSON(population),
                             "interval": .number(perturbationInterval), "max_budget": .number(maxBudget), "quantile": .number(quantile),
                             "synchronous": .bool(synchronous), "dimension": JSON(space.dimension)]
    for (k, v) in exploreSettings { o[k] = v }
    return .object(o)
  }
}
