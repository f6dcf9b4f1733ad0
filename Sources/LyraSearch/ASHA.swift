import LyraBase
import LyraSpace

/// What a running trial should do after an intermediate report.
public enum Decision: String, Equatable {
  case `continue`, stop
}

/// Algorithms that judge running trials from intermediate results (ASHA's stopping
/// type; a median or percentile pruner). The simulator and trainers call `report` each
/// time a trial reaches one of `reportBudgets(for:)`, then stop it on `.stop` and tell
/// the final (pruned) result.
public protocol IntermediateReporting: SearchAlgorithm {
  func reportBudgets(for trial: Trial) -> [Double]
  func report(_ trialID: Int, budget: Double, _ metrics: [String: Double]) -> Decision
}

/// Asynchronous successive halving, ASHA (Li, Jamieson, Rostamizadeh, Gonina, Ben-tzur,
/// Hardt, Recht, Talwalkar, "A System for Massively Parallel Hyperparameter Tuning",
/// MLSys 2020).
///
/// Rungs k = 0…K with K = ⌊log_η(R/r)⌋ − s train to r_k = r·η^(s+k), where s is the
/// minimum early-stopping rate.
///
/// - `.promotion` (the paper's Algorithm 2): when a worker is free, scan k = K−1 … 0 and
///   promote the first config that is in the top ⌊|rung_k|/η⌋ of rung k's completed
///   results and not yet promoted; it resumes from its rung-k trial (`resumeFrom`). If
///   none, start a new config in rung 0. Never waits: nil only once `maxTrials` configs
///   have started and nothing is promotable. With fewer than η results a rung promotes
///   nothing (⌊n/η⌋ = 0), as the paper.
/// - `.stopping` (Optuna's SuccessiveHalvingPruner, Ray's ASHAScheduler): every trial is
///   asked to train to r_K and reports at each rung budget through `report`; see
///   `StoppingRule`.
///
/// `maxTrials` counts new configurations; promotions do not count.
public final class ASHA: SearchBase, IntermediateReporting {
  public enum Kind: String { case promotion, stopping }

  /// How the stopping type judges a report at rung k.
  public enum StoppingRule: String {
    /// Optuna: the first time a trial reaches r_k its value joins rung k; it continues
    /// iff value ≤ sorted(rung k)[max(⌊n/η⌋ − 1, 0)], n counting the trial itself. So
    /// among the first η−1 arrivals only a new best continues. Every rung passed by one
    /// report is judged in turn. NaN stops.
    case optuna
    /// Ray: the highest rung reached and not yet recorded is judged: stop iff the loss is
    /// above the (100/η)-th percentile (linear interpolation) of the values already
    /// recorded there (the trial itself excluded); the first arrival always continues.
    /// Ray lets NaN continue; here NaN/inf stop (they rank worst everywhere in Lyra).
    case ray
  }

  public let space: SearchSpace
  public let seed: UInt64
  public let minBudget: Double
  public let maxBudget: Double
  public let eta: Int
  public let kind: Kind
  public let earlyStoppingRate: Int
  public let maxTrials: Int
  public let rule: StoppingRule
  /// r_k for k = 0…K.
  public let rungBudgets: [Double]
  private var streams: RandomStreams
  private var started = 0
  /// Per rung: (trial id, loss) in arrival order (completed results for the promotion
  /// type, reports for the stopping type).
  public private(set) var rungs: [[(id: Int, loss: Double)]]
  /// Per rung: trial ids already promoted out of it (promotion type).
  private var promoted: [Set<Int>]
  /// Stopping type: rungs each trial has been recorded in.
  private var recorded: [Int: Set<Int>] = [:]

  public init(space: SearchSpace, objectives: [Objective] = [Objective("loss")], seed: UInt64 = 0, minBudget: Double, maxBudget: Double,
              eta: Int = 3, type: Kind = .promotion, earlyStoppingRate: Int = 0, maxTrials: Int, rule: StoppingRule = .optuna) {
    let sm = HyperbandSchedule.sMax(minBudget: minBudget, maxBudget: maxBudget, eta: eta)
    precondition(earlyStoppingRate >= 0 && earlyStoppingRate <= sm, "ASHA: early-stopping rate must be in 0…\(sm)")
    self.space = space
    self.seed = seed
    self.minBudget = minBudget
    self.maxBudget = maxBudget
    self.eta = eta
    self.kind = type
    self.earlyStoppingRate = earlyStoppingRate
    self.maxTrials = maxTrials
    self.rule = rule
    self.rungBudgets = (0...(sm - earlyStoppingRate)).map { minBudget * Double(HyperbandSchedule.pow(eta, earlyStoppingRate + $0)) }
    self.rungs = Array(repeating: [], count: rungBudgets.count)
    self.promoted = Array(repeating: [], count: rungBudgets.count)
    self.streams = RandomStreams(seed: seed)
    super.init(objectives: objectives)
  }

  /// K, the top rung.
  public var topRung: Int { rungBudgets.count - 1 }

  /// The promotion the paper's rule would make now: (rung, trial id) or nil.
  public func promotable() -> (rung: Int, id: Int)? {
    guard kind == .promotion else { return nil }
    for k in stride(from: topRung - 1, through: 0, by: -1) {
      let entries = rungs[k]
      let top = entries.count / eta
      guard top > 0 else { continue }
      for i in Ranking.order(entries.map(\.loss)).prefix(top) where !promoted[k].contains(entries[i].id) {
        return (k, entries[i].id)
      }
    }
    return nil
  }

  public override func propose() -> Trial? {
    if let (k, id) = promotable() {
      promoted[k].insert(id)
      return newTrial(history.trial(id)!.config, budget: rungBudgets[k + 1], rung: k + 1, resumeFrom: id)
    }
    guard started < maxTrials else { return nil }
    started += 1
    let budget = kind == .promotion ? rungBudgets[0] : rungBudgets[topRung]
    return newTrial(space.sample(streams.next()), budget: budget, rung: 0)
  }

  public override func observe(_ trial: Trial, _ result: TrialResult) {
    guard kind == .promotion, let k = trial.rung else { return }
    rungs[k].append((trial.id, history.loss(trial.id) ?? .infinity))
  }

  public override var exhausted: Bool { started >= maxTrials && history.pendingCount == 0 && promotable() == nil }

  // MARK: stopping type

  public func reportBudgets(for trial: Trial) -> [Double] {
    kind == .stopping ? Array(rungBudgets.dropLast()) : []
  }

  /// Judges an intermediate result of a running trial at `budget` (stopping type; the
  /// promotion type always answers `.continue`). Reports below r_0, repeats and reports
  /// for unknown or finished trials continue and change nothing.
  @discardableResult
  public func report(_ trialID: Int, budget: Double, _ metrics: [String: Double]) -> Decision {
    guard kind == .stopping, history.trial(trialID) != nil, history.results[trialID] == nil else { return .continue }
    logEvent([.string("r"), JSON(trialID), StateCodec.double(budget), .object(metrics.mapValues(StateCodec.double))])
    let loss = Ranking.loss(metrics[objectives[0].name], objectives[0].direction)
    var seen = recorded[trialID, default: []]
    defer { recorded[trialID] = seen }
    let reached = (0..<topRung).filter { rungBudgets[$0] <= budget * (1 + 1e-12) && !seen.contains($0) }
    switch rule {
    case .optuna:
      // Optuna prunes NaN before recording it anywhere.
      if !loss.isFinite { seen.formUnion(reached); return .stop }
      for k in reached {
        seen.insert(k)
        rungs[k].append((trialID, loss))
        let sorted = rungs[k].map(\.loss).sorted()
        if loss > sorted[max(sorted.count / eta - 1, 0)] { return .stop }
      }
      return .continue
    case .ray:
      guard let k = reached.last else { return .continue }
      seen.insert(k)
      let others = rungs[k].map(\.loss)
      rungs[k].append((trialID, loss))
      if !loss.isFinite { return .stop }
      guard !others.isEmpty else { return .continue }
      return loss > ASHA.percentile(others, 100.0 / Double(eta)) ? .stop : .continue
    }
  }

  /// Convenience: report the first objective's value.
  @discardableResult
  public func report(_ trialID: Int, budget: Double, value: Double) -> Decision {
    report(trialID, budget: budget, [objectives[0].name: value])
  }

  /// numpy's `percentile` with linear interpolation, ignoring non-finite values (the
  /// +inf that NaN became), as `nanpercentile` ignores NaN.
  static func percentile(_ xs: [Double], _ q: Double) -> Double {
    let v = xs.filter(\.isFinite).sorted()
    guard !v.isEmpty else { return .infinity }
    let pos = q / 100 * Double(v.count - 1)
    let lo = Int(pos.rounded(.down)), hi = min(lo + 1, v.count - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - Double(lo))
  }

  public override func replay(_ event: [JSON]) throws {
    guard event.count == 4, event[0] == .string("r"), let m = event[3].object else { try super.replay(event); return }
    _ = report(try StateCodec.int(event[1]), budget: try StateCodec.double(event[2]), try m.mapValues { try StateCodec.double($0) })
  }

  public override var settings: JSON {
    .object(["algorithm": .string("asha"), "seed": StateCodec.uint64(seed), "min_budget": StateCodec.double(minBudget),
             "max_budget": StateCodec.double(maxBudget), "eta": JSON(eta), "type": .string(kind.rawValue),
             "s": JSON(earlyStoppingRate), "max_trials": JSON(maxTrials), "rule": .string(rule.rawValue)])
  }
}
