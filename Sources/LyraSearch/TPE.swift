import LyraBase
import LyraSpace

/// Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio, Kégl, "Algorithms for
/// Hyper-Parameter Optimization", NeurIPS 2011) with Optuna v5's defaults
/// (docs/algorithms/tpe.md; docs/hpo.md#algorithms-parameters-and-defaults): 10 random start-up trials, γ(n) =
/// min(⌈0.1n⌉, 25), 24 EI candidates, prior weight 1, multivariate product kernel,
/// magic clip, no endpoints, and the constant liar.
///
/// Split (Optuna's `_split_trials`): finished trials are ranked, completed ones by loss
/// first, then pruned ones by (largest budget, loss); the first γ(n) are "below", the rest
/// "above". Failed or non-finite trials are always "above" (the protocol ranks them worst;
/// Optuna drops failed trials, which lets TPE walk back into a crashing region). With the
/// constant liar, running trials count as "above", so parallel workers asking at once
/// are steered away from each other's pending points. Several objectives: "below" is
/// filled front by front (NSGA-II non-dominated sort), the last front cut by crowding
/// distance (a stand-in for Optuna's hypervolume subset selection), γ(n) = ⌈0.1n⌉.
///
/// Works in the space's encoded unit cube: log-scale parameters are already uniform
/// there, and ints/bits keep their grid (the kernels widen the range by half a step).
public final class TPE: SearchBase {
  public let space: SearchSpace
  public let seed: UInt64
  public let nStartupTrials: Int
  public let proposer: TPEProposer
  public let constantLiar: Bool
  /// γ(n) = min(⌈fraction·n⌉, cap); the cap (nil: none) applies to one objective only, as in Optuna.
  public let gammaFraction: Double
  public let gammaCap: Int?
  /// Stop after this many trials (nil: never done; the caller stops).
  public let maxTrials: Int?
  /// The budget each trial gets (nil: single fidelity).
  public let budget: Double?
  private var streams: RandomStreams
  private var issued = 0
  private var encoded: [Int: [Double]] = [:]

  public init(space: SearchSpace, objectives: [Objective] = [Objective("loss")], seed: UInt64 = 0,
              nStartupTrials: Int = 10, nEICandidates: Int = 24, gammaFraction: Double = 0.1, gammaCap: Int? = 25,
              priorWeight: Double = 1, multivariate: Bool = true, constantLiar: Bool = true,
              considerMagicClip: Bool = true, considerEndpoints: Bool = false,
              maxTrials: Int? = nil, budget: Double? = nil) {
    self.space = space
    self.seed = seed
    self.nStartupTrials = nStartupTrials
    self.proposer = TPEProposer(space: space, priorWeight: priorWeight, multivariate: multivariate,
                                considerMagicClip: considerMagicClip, considerEndpoints: considerEndpoints,
                                nEICandidates: nEICandidates)
    self.constantLiar = constantLiar
    self.gammaFraction = gammaFraction
    // Optuna caps γ at 25 for one objective only.
    self.gammaCap = objectives.count == 1 ? gammaCap : nil
    self.maxTrials = maxTrials
    self.budget = budget
    self.streams = RandomStreams(seed: seed)
    super.init(objectives: objectives)
  }

  /// How many of `n` finished trials are "below".
  public func gamma(_ n: Int) -> Int {
    let g = Int((gammaFraction * Double(n)).rounded(.up))
    return gammaCap.map { min(g, $0) } ?? g
  }

  public override func propose() -> Trial? {
    if let m = maxTrials, issued >= m { return nil }
    issued += 1
    let g = streams.next()
    let finished = history.tellOrder
    if finished.count < nStartupTrials { return newTrial(space.sample(g), budget: budget) }
    let (below, above) = split(finished)
    let x = proposer.propose(below: below.map(point), above: above.map(point), g)
    return newTrial(space.decode(x), budget: budget)
  }

  /// The encoded point of a trial (cached: configs never change).
  private func point(_ id: Int) -> [Double] {
    if let x = encoded[id] { return x }
    let x = space.encode(history.trial(id)!.config)
    encoded[id] = x
    return x
  }

  /// Below/above trial ids, each in id (age) order.
  func split(_ finished: [Int]) -> (below: [Int], above: [Int]) {
    var nBelow = gamma(finished.count)
    var completed: [Int] = [], pruned: [Int] = [], worst: [Int] = []
    for id in finished {
      let r = history.results[id]!, l = history.losses(id)!
      if r.status == .failed || !l.allSatisfy(\.isFinite) { worst.append(id) } else if r.status == .pruned { pruned.append(id) } else { completed.append(id) }
    }
    var below = rankCompleted(completed, take: nBelow)
    nBelow -= below.count
    let prunedOrder = pruned.sorted { a, b in
      let ba = history.trial(a)!.budget ?? 0, bb = history.trial(b)!.budget ?? 0
      if ba != bb { return ba > bb }
      let la = history.loss(a)!, lb = history.loss(b)!
      return la != lb ? la < lb : a < b
    }
    below += prunedOrder.prefix(max(0, nBelow))
    let inBelow = Set(below)
    var above = finished.filter { !inBelow.contains($0) }
    if constantLiar { above += history.pending }
    return (below.sorted(), above.sorted())
  }

  /// The best `take` completed trials: by loss for one objective; for several, whole
  /// non-dominated fronts, the last one cut by crowding distance (largest first).
  private func rankCompleted(_ ids: [Int], take: Int) -> [Int] {
    guard take > 0 else { return [] }
    let losses = ids.map { history.losses($0)! }
    if objectives.count == 1 { return Ranking.order(losses.map { $0[0] }).prefix(take).map { ids[$0] } }
    var out: [Int] = []
    for front in Ranking.nonDominatedSort(losses) {
      if out.count + front.count <= take { out += front.map { ids[$0] }; continue }
      let crowd = Ranking.crowdingDistance(losses, front: front)
      let byCrowd = front.indices.sorted { crowd[$0] != crowd[$1] ? crowd[$0] > crowd[$1] : $0 < $1 }
      out += byCrowd.prefix(take - out.count).map { ids[front[$0]] }
      break
    }
    return out
  }

  public override var exhausted: Bool { maxTrials.map { issued >= $0 } ?? false }

  public override var settings: JSON {
    .object([
      "algorithm": .string("tpe"), "seed": StateCodec.uint64(seed), "n_startup_trials": JSON(nStartupTrials),
      "n_ei_candidates": JSON(proposer.nEICandidates), "gamma_fraction": .number(gammaFraction),
      "gamma_cap": StateCodec.optionalInt(gammaCap), "prior_weight": .number(proposer.priorWeight),
      "multivariate": .bool(proposer.multivariate), "constant_liar": .bool(constantLiar),
      "magic_clip": .bool(proposer.considerMagicClip), "endpoints": .bool(proposer.considerEndpoints),
      "max_trials": StateCodec.optionalInt(maxTrials), "budget": StateCodec.optionalDouble(budget),
      "dimension": JSON(space.dimension),
    ])
  }
}
