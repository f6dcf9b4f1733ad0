import Foundation
import LyraBase
import LyraSpace

/// BOSS: Bayesian optimisation with sub-sampling (Huang, Li, Ye, Li, Zhang, "An
/// asymptotically optimal multi-armed bandit algorithm and hyperparameter optimization",
/// arXiv 2007.05670), as VEGA's `BossHpo` runs it (`sha_base/boss.py`;
/// docs/algorithms/boss.md).
///
/// `numSamples` configs are split into `repeatTimes` equal groups, and each group into
/// sub-brackets of sizes η^0, η^1, … (largest first, the remainder as the top one), which
/// start at budgets minBudget·η^j: 20 configs → [9, 7, 3, 1] starting at ×[1, 3, 9, 27].
/// Sub-brackets run one after another, each with the SS bandit (`BOSSSubBracket`). The
/// first is drawn at random; each later one is proposed by the surrogate refit on all
/// earlier scores at the rung that matches its starting budget (the rung with budget in
/// [b, η·b)), so the model learns from comparable fidelities only.
///
/// The surrogate: VEGA's default is a random forest; here TPE (`TPEProposer`, the
/// sub-bracket's K configs proposed one by one with the constant liar, so they spread
/// out), or `.random`.
///
/// Each evaluation is a `Trial` with `budget` (total epochs), `rung`, `bracket` (the
/// sub-bracket's index) and `resumeFrom` (the config's previous trial, when it has one).
public final class BOSS: SearchBase {
  public enum Tuner: String { case tpe, random }

  public let space: SearchSpace
  public let seed: UInt64
  public let numSamples: Int
  public let repeatTimes: Int
  public let minBudget: Double
  public let maxBudget: Double
  public let eta: Int
  public let tuner: Tuner
  /// Every sub-bracket's size and starting budget, in run order.
  public let plan: [(count: Int, minBudget: Double)]
  /// The sub-brackets started so far (the last one is running).
  public private(set) var brackets: [BOSSSubBracket] = []
  private var trialOf: [Int: (bracket: Int, config: Int)] = [:]
  /// Last trial id per (bracket, config), for `resumeFrom`.
  private var lastTrial: [[Int?]] = []
  private var streams: RandomStreams
  private let proposer: TPEProposer

  public init(space: SearchSpace, objectives: [Objective] = [Objective("loss")], seed: UInt64 = 0,
              numSamples: Int = 40, repeatTimes: Int = 2, minBudget: Double = 1, maxBudget: Double = 81,
              eta: Int = 3, tuner: Tuner = .tpe) {
    precondition(numSamples >= 1 && repeatTimes >= 1 && eta >= 2, "BOSS needs numSamples ≥ 1, repeatTimes ≥ 1, eta ≥ 2")
    self.space = space
    self.seed = seed
    self.numSamples = numSamples
    self.repeatTimes = repeatTimes
    self.minBudget = minBudget
    self.maxBudget = maxBudget
    self.eta = eta
    self.tuner = tuner
    self.plan = BOSS.subBrackets(numSamples: numSamples, repeatTimes: repeatTimes, minBudget: minBudget, maxBudget: maxBudget, eta: eta)
    self.streams = RandomStreams(seed: seed)
    // Scott-like widths (Optuna ≤ v4): with one or two "below" points per rung, v5's
    // neighbour gaps make l nearly the prior and the surrogate nearly random.
    self.proposer = TPEProposer(space: space, bandwidth: .scott)
    super.init(objectives: objectives)
    startNext()
  }

  /// VEGA's `_get_total_iters`: per repeat, ⌈numSamples/repeatTimes⌉ configs (the last
  /// repeat gets the rest) split into sub-brackets of η^0, η^1, … while they fit, the
  /// remainder forming the last; sorted largest first, starting at minBudget·η^j
  /// (capped at maxBudget).
  public static func subBrackets(numSamples: Int, repeatTimes: Int, minBudget: Double = 1, maxBudget: Double = 81,
                                 eta: Int = 3) -> [(count: Int, minBudget: Double)] {
    let each = (numSamples + repeatTimes - 1) / repeatTimes
    var rest = numSamples, counts: [Int] = []
    for _ in 0..<repeatTimes {
      if rest >= each { counts.append(each); rest -= each } else { counts.append(rest) }
    }
    var out: [(Int, Double)] = []
    for count in counts where count > 0 {
      var sizes: [Int] = [], used = 0, power = 1
      // Geometric sizes 1, η, η², … while the running total (η^(i+1)−1)/(η−1) < count.
      while used + power < count {
        sizes.append(power)
        used += power
        power *= eta
      }
      sizes.append(count - used)
      sizes.sort(by: >)
      for (j, s) in sizes.enumerated() { out.append((s, min(minBudget * pow(Double(eta), Double(j)), maxBudget))) }
    }
    return out
  }

  /// Starts the next planned sub-bracket with configs from the tuner.
  private func startNext() {
    let j = brackets.count
    guard j < plan.count else { return }
    let g = streams.next()
    let k = plan[j].count
    let configs: [Config]
    let data = j == 0 || tuner == .random ? [] : surrogateData(for: j)
    if data.isEmpty {
      configs = (0..<k).map { _ in space.sample(g) }
    } else {
      configs = propose(k, from: data, g)
    }
    brackets.append(BOSSSubBracket(configs: configs, minBudget: plan[j].minBudget, maxBudget: maxBudget, eta: eta))
    lastTrial.append(Array(repeating: nil, count: k))
  }

  /// Earlier sub-brackets' (encoded config, loss) at the rung whose budget lies in
  /// [b, η·b), where b is sub-bracket j's first rung budget (VEGA's `_set_hp`).
  func surrogateData(for j: Int) -> [(x: [Double], loss: Double)] {
    let first = BOSSSubBracket.rungs(count: plan[j].count, minBudget: plan[j].minBudget, maxBudget: maxBudget, eta: eta)[0].budget
    var out: [(x: [Double], loss: Double)] = []
    for b in brackets {
      for (r, rung) in b.rungs.enumerated() where rung.budget >= first && rung.budget / Double(eta) < first {
        for (i, l) in b.losses[r].enumerated() { if let l { out.append((space.encode(b.configs[i]), l)) } }
      }
    }
    return out
  }

  /// `k` configs from TPE fitted on `data`, each later one treating the earlier
  /// proposals as "above" (the constant liar).
  func propose(_ k: Int, from data: [(x: [Double], loss: Double)], _ g: Generator) -> [Config] {
    let order = Ranking.order(data.map(\.loss))
    let finite = order.filter { data[$0].loss.isFinite }
    let nBelow = min(TPEProposer.defaultGamma(data.count), finite.count)
    let below = finite.prefix(nBelow).sorted().map { data[$0].x }
    let belowSet = Set(finite.prefix(nBelow))
    var above = data.indices.filter { !belowSet.contains($0) }.map { data[$0].x }
    var out: [Config] = []
    for _ in 0..<k {
      let x = proposer.propose(below: below, above: above, g)
      let c = space.decode(x)
      out.append(c)
      above.append(space.encode(c))
    }
    return out
  }

  public override func propose() -> Trial? {
    guard let j = brackets.indices.last, let i = brackets[j].next() else { return nil }
    let r = brackets[j].rung
    let t = newTrial(brackets[j].configs[i], budget: brackets[j].rungs[r].budget, rung: r, bracket: j, resumeFrom: lastTrial[j][i])
    trialOf[t.id] = (j, i)
    lastTrial[j][i] = t.id
    return t
  }

  public override func observe(_ trial: Trial, _ result: TrialResult) {
    guard let (j, i) = trialOf[trial.id] else { return }
    brackets[j].record(config: i, rung: trial.rung!, loss: history.loss(trial.id)!)
    if brackets[j].isComplete && j == brackets.count - 1 { startNext() }
  }

  public override var exhausted: Bool { brackets.count == plan.count && brackets.last?.isComplete != false }

  public override var settings: JSON {
    .object(["algorithm": .string("boss"), "seed": StateCodec.uint64(seed), "num_samples": JSON(numSamples),
             "repeat_times": JSON(repeatTimes), "min_budget": .number(minBudget), "max_budget": .number(maxBudget),
             "eta": JSON(eta), "tuner": .string(tuner.rawValue), "dimension": JSON(space.dimension)])
  }
}
