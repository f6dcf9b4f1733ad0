import LyraBase
import LyraSpace

/// MF-ASC: multi-fidelity active search with co-kriging (the KDD 2019 paper
/// doi:10.1145/3292500.3330893, algorithm 1, that VEGA's MF-ASC documentation cites;
/// VEGA's `vega/algorithms/nas/mfasc`).
///
/// A fixed candidate set of `sampleSize` distinct configs is drawn from the space once;
/// every trial trains one candidate either at low fidelity (`lfEpochs`) or at high
/// fidelity (`hfEpochs`), never the same candidate twice at one fidelity:
///
/// 1. the first `minHFSamples` trials are random high-fidelity ones, the next
///    `minLFSamples` random low-fidelity ones;
/// 2. then `CoKriging` is refit on all results before each trial; when
///    (results so far + 1) is a multiple of `fidelityRatio` the trial is high fidelity:
///    of `batchSize` random unused candidates, the one with the largest UCB μ + β·σ of the
///    high-fidelity prediction; otherwise low fidelity: the largest μ + β·σ of the
///    low-fidelity prediction when the fitted ρ ≥ 0, the largest −μ + β·σ when ρ < 0 (a
///    low score then predicts a high one);
/// 3. each trial adds its epochs to the spent budget; the search stops once it exceeds
///    `maxBudget` (VEGA's rule: the last trial may overshoot).
///
/// Trials run one at a time (VEGA: "search steps must be performed successively"); `ask`
/// answers nil while one is running. The refit before each trial grows as n³ in the
/// results: measured (scripts/bench/mfasc_refit.lua, release build, Intel Xeon, CPU
/// seconds per ask on VEGA's example space) 0.03 s at 50 results, 0.16 s at 100, 1.1 s at
/// 200, 8.4 s at 400; VEGA's example budget reaches about 85. Scores are the first objective, direction-adjusted;
/// failed trials are never refit on, and their candidates are not retried. The best trial
/// is the best high-fidelity one (`SearchHistory.best` takes the largest budget).
///
/// Where VEGA's code differs: its low-fidelity step takes the *smallest* μ + β·σ when
/// ρ > 0, minimising the acquisition it describes as maximised (and its low-fidelity
/// prediction is the high-fidelity one, see `CoKriging`); Lyra maximises the UCB of
/// the low-fidelity posterior, as the paper's algorithm 1. Candidates are distinct
/// (VEGA's may repeat).
public final class MFASC: SearchBase {
  public struct Options: Equatable {
    public var sampleSize = 5000
    public var batchSize = 1000
    public var priorRho = 1.0
    public var beta = 1.0
    public var maxBudget = 1000
    public var hfEpochs = 20
    public var lfEpochs = 5
    public var fidelityRatio = 2
    public var minHFSamples = 3
    public var minLFSamples = 10
    /// Random starting points of the likelihood search besides the last fit's optimum
    /// (VEGA: 3 restarts of L-BFGS-B).
    public var restarts = 2
    public init() {}
  }

  /// The most candidates (VEGA's example draws 25,000): each is a config held in memory.
  public static let maxSampleSize = 200_000

  public let space: SearchSpace
  public let seed: UInt64
  public let options: Options
  /// The candidate configs and their standardised encodings.
  public let candidates: [Config]
  let features: [[Double]]
  private var streams: RandomStreams
  /// Told results per fidelity: candidate index and score (nil: failed or not finite).
  private var low: [(index: Int, score: Double?)] = [], high: [(index: Int, score: Double?)] = []
  private var usedLow = Set<Int>(), usedHigh = Set<Int>()
  private var trialOf: [Int: (index: Int, high: Bool)] = [:]
  public private(set) var budgetSpent = 0
  /// ρ of the last fit (the prior until the model is first fitted).
  public private(set) var rho: Double
  private var lastTheta: [Double]?

  public init(space: SearchSpace, objectives: [Objective] = [Objective("accuracy", .maximize)], seed: UInt64 = 0, options: Options = Options()) {
    self.space = space
    self.seed = seed
    self.options = options
    self.streams = RandomStreams(seed: seed)
    self.rho = options.priorRho
    // The candidate set: sampleSize draws, repeats dropped (a small space yields fewer).
    let g = streams.next()
    var seen = Set<Config>(), list: [Config] = []
    for _ in 0..<min(max(options.sampleSize, 0), MFASC.maxSampleSize) {
      let c = space.sample(g)
      if seen.insert(c).inserted { list.append(c) }
    }
    candidates = list
    features = Standardization.columns(list.map { space.encode($0) })
    super.init(objectives: objectives)
  }

  /// The trial's fidelity: high when its budget is `hfEpochs`.
  public func isHighFidelity(_ trial: Trial) -> Bool { trialOf[trial.id]?.high ?? false }

  public override func propose() -> Trial? {
    guard !exhausted, history.pendingCount == 0 else { return nil }
    let g = streams.next()
    let freeHigh = candidates.indices.filter { !usedHigh.contains($0) }
    let freeLow = candidates.indices.filter { !usedLow.contains($0) }
    var wantHigh: Bool
    var pick: Int?
    if high.count < options.minHFSamples {
      wantHigh = true
    } else if low.count < options.minLFSamples {
      wantHigh = false
    } else {
      wantHigh = (high.count + low.count + 1) % options.fidelityRatio == 0
      if wantHigh ? freeHigh.isEmpty : freeLow.isEmpty { wantHigh.toggle() }
      pick = activePick(high: wantHigh, from: wantHigh ? freeHigh : freeLow, g)
    }
    if wantHigh ? freeHigh.isEmpty : freeLow.isEmpty { wantHigh.toggle() }
    let free = wantHigh ? freeHigh : freeLow
    guard !free.isEmpty else { return nil }
    let i = pick ?? free[g.int(below: free.count)]
    let epochs = wantHigh ? options.hfEpochs : options.lfEpochs
    budgetSpent += epochs
    if wantHigh { usedHigh.insert(i) } else { usedLow.insert(i) }
    let t = newTrial(candidates[i], budget: Double(epochs))
    trialOf[t.id] = (i, wantHigh)
    return t
  }

  /// The UCB pick among `batchSize` random candidates of `free`; nil (a random pick) when
  /// the model cannot be fitted yet (no finite score at one of the fidelities).
  func activePick(high wantHigh: Bool, from free: [Int], _ g: Generator) -> Int? {
    let lows = low.compactMap { r in r.score.map { (r.index, $0) } }, highs = high.compactMap { r in r.score.map { (r.index, $0) } }
    guard !lows.isEmpty, !highs.isEmpty, !free.isEmpty else { return nil }
    let starts = [lastTheta ?? CoKriging.prior(rho: options.priorRho)] + (0..<options.restarts).map { _ in CoKriging.randomStart(g) }
    guard let model = CoKriging.fit(lowPoints: lows.map { features[$0.0] }, lowTargets: lows.map(\.1),
                                    highPoints: highs.map { features[$0.0] }, highTargets: highs.map(\.1), starts: starts) else { return nil }
    lastTheta = model.theta
    var batch = free
    if batch.count > options.batchSize {
      g.shuffle(&batch)
      batch = Array(batch.prefix(options.batchSize))
    }
    let x = batch.map { features[$0] }
    let scores: [Double]
    if wantHigh {
      rho = model.rho
      let (mu, sigma) = model.predictHigh(x)
      scores = zip(mu, sigma).map { $0 + options.beta * $1 }
    } else {
      let (mu, sigma) = model.lowProcess.predict(x)
      let sign = rho >= 0 ? 1.0 : -1.0
      scores = zip(mu, sigma).map { sign * $0 + options.beta * $1 }
    }
    var best = 0
    for k in scores.indices where scores[k] > scores[best] { best = k }
    return batch[best]
  }

  public override func observe(_ trial: Trial, _ result: TrialResult) {
    guard let (i, isHigh) = trialOf[trial.id] else { return }
    let loss = history.loss(trial.id) ?? .infinity
    let score: Double? = loss.isFinite ? -loss : nil
    if isHigh { high.append((i, score)) } else { low.append((i, score)) }
  }

  public override var exhausted: Bool {
    budgetSpent > options.maxBudget || (usedHigh.count >= candidates.count && usedLow.count >= candidates.count)
  }

  public override var settings: JSON {
    let o = options
    return .object(["algorithm": .string("mfasc"), "seed": StateCodec.uint64(seed), "sample_size": JSON(o.sampleSize),
                    "batch_size": JSON(o.batchSize), "prior_rho": .number(o.priorRho), "beta": .number(o.beta),
                    "max_budget": JSON(o.maxBudget), "hf_epochs": JSON(o.hfEpochs), "lf_epochs": JSON(o.lfEpochs),
                    "fidelity_ratio": JSON(o.fidelityRatio), "min_hf_sample_size": JSON(o.minHFSamples),
                    "min_lf_sample_size": JSON(o.minLFSamples), "restarts": JSON(o.restarts), "dimension": JSON(space.dimension)])
  }
}
