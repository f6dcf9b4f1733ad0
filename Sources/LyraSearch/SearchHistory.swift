import LyraBase
import LyraSpace

/// Every trial handed out and every result told, in order: the one table all algorithms
/// read (best, Pareto front, per-budget results for model-based multi-fidelity methods).
///
/// Why one shared table: the direction is fixed once here (`Ranking`), NaN/inf/failed
/// rank worst everywhere, and "best" means the same thing for every algorithm.
public final class SearchHistory {
  public let objectives: [Objective]
  /// Trials in the order they were handed out.
  public private(set) var trials: [Trial] = []
  /// Results by trial id (the first tell wins; later ones are ignored).
  public private(set) var results: [Int: TrialResult] = [:]
  /// Trial ids in the order their results arrived.
  public private(set) var tellOrder: [Int] = []
  private var position: [Int: Int] = [:]
  private var lossCache: [Int: [Double]] = [:]

  public init(objectives: [Objective]) {
    precondition(!objectives.isEmpty, "a search needs at least one objective")
    self.objectives = objectives
  }

  public func add(_ trial: Trial) {
    precondition(position[trial.id] == nil, "trial id \(trial.id) handed out twice")
    position[trial.id] = trials.count
    trials.append(trial)
  }

  /// Records a result; false (and nothing changes) for an unknown id or a second tell.
  @discardableResult
  public func record(_ id: Int, _ result: TrialResult) -> Bool {
    guard position[id] != nil, results[id] == nil else { return false }
    results[id] = result
    lossCache[id] = Ranking.losses(result, objectives)
    tellOrder.append(id)
    return true
  }

  public func trial(_ id: Int) -> Trial? { position[id].map { trials[$0] } }

  /// The minimised loss vector of a told trial.
  public func losses(_ id: Int) -> [Double]? { lossCache[id] }
  /// The minimised loss of the first objective (+inf for failures and NaN).
  public func loss(_ id: Int) -> Double? { lossCache[id]?[0] }

  /// Ids handed out but not told yet.
  public var pending: [Int] { trials.lazy.map(\.id).filter { self.results[$0] == nil } }
  public var pendingCount: Int { trials.count - results.count }

  /// Told trials in tell order.
  public var told: [(trial: Trial, result: TrialResult)] { tellOrder.map { (trials[position[$0]!], results[$0]!) } }

  /// Completed results at one budget (nil: single fidelity), in tell order, with losses.
  public func completed(atBudget budget: Double?) -> [(id: Int, losses: [Double])] {
    tellOrder.compactMap { id in
      let t = trials[position[id]!]
      guard t.budget == budget, results[id]!.status == .completed else { return nil }
      return (id, lossCache[id]!)
    }
  }

  /// The largest budget with a completed, finite result (nil when single fidelity).
  /// Why: a loss at 1 epoch is not comparable with one at 81 epochs, so the incumbent
  /// is taken at the largest budget evaluated so far (HpBandSter's trajectory rule).
  private func incumbentBudget() -> Double?? {
    var found = false
    var top: Double? = nil
    for id in tellOrder where results[id]!.status == .completed && lossCache[id]!.allSatisfy(\.isFinite) {
      let b = trials[position[id]!].budget
      if !found { top = b; found = true } else if let b, top == nil || b > top! { top = b }
    }
    return found ? .some(top) : .none
  }

  /// The best completed trial by the first objective among those at the largest budget
  /// evaluated; ties go to the earlier result. Failed, pruned and non-finite results are
  /// never best.
  public func best() -> (trial: Trial, result: TrialResult)? {
    guard case .some(let budget) = incumbentBudget() else { return nil }
    var bestID: Int? = nil
    var bestLoss = Double.infinity
    for id in tellOrder where results[id]!.status == .completed {
      let t = trials[position[id]!]
      guard t.budget == budget, let l = lossCache[id]?[0], l.isFinite else { continue }
      if bestID == nil || l < bestLoss { bestID = id; bestLoss = l }
    }
    return bestID.map { (trials[position[$0]!], results[$0]!) }
  }

  /// Non-dominated completed trials over all objectives (finite losses only), at the
  /// same budget as `best()`, in tell order.
  public func paretoFront() -> [(trial: Trial, result: TrialResult)] {
    guard case .some(let budget) = incumbentBudget() else { return [] }
    let ids = tellOrder.filter { results[$0]!.status == .completed && trials[position[$0]!].budget == budget }
    return Ranking.paretoIndices(ids.map { lossCache[$0]! }).map { (trials[position[ids[$0]]!], results[ids[$0]]!) }
  }

  /// The trial table as JSON: each trial with its result (null while running).
  public var json: JSON {
    .array(trials.map { t in
      var o = StateCodec.trial(t).object!
      o["result"] = results[t.id].map(StateCodec.result) ?? .null
      return .object(o)
    })
  }
}
