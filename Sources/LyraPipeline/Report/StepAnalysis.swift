import Foundation

/// What a report says about one step: counts, the ranking, best-so-far and the Pareto
/// front, computed once and shared by the Markdown and HTML writers.
public struct StepAnalysis {
  public let step: ReportStep
  /// Finished trials with a finite first objective, best first (ties: lower worker id).
  public let ranked: [ReportTrial]
  /// Worker ids not dominated on all objectives (empty for single-objective steps).
  public let paretoIDs: Set<Int>

  public init(_ step: ReportStep) {
    self.step = step
    ranked = step.trials.filter { $0.isFinished && $0.reward(0) != nil }
      .sorted { a, b in a.reward(0)! != b.reward(0)! ? a.reward(0)! > b.reward(0)! : a.workerID < b.workerID }
    let objs = step.trials.first?.objectives ?? []
    let shown = objs.indices.filter { !MetricNames.isAlias(objs[$0].name, among: Set(objs.map(\.name))) }
    paretoIDs = shown.count >= 2 ? StepAnalysis.front(ranked, objectives: shown) : []
  }

  public var objectives: [(name: String, maximize: Bool)] { step.trials.first?.objectives ?? [] }
  /// Indices of the objectives the report shows: an alias (`accuracy_top1` beside
  /// `accuracy`) is the same objective and is left out.
  public var shownObjectives: [Int] {
    let names = Set(objectives.map(\.name))
    return objectives.indices.filter { !MetricNames.isAlias(objectives[$0].name, among: names) }
  }
  public var finished: Int { step.trials.filter(\.isFinished).count }
  public var failed: Int { step.trials.filter { $0.status == "failed" }.count }
  public var best: ReportTrial? { ranked.first }

  /// Non-dominated trials over the given objective indices (rewards: larger is better);
  /// trials missing any of them take no part.
  public static func front(_ trials: [ReportTrial], objectives idx: [Int]) -> Set<Int> {
    let pts = trials.compactMap { t -> (Int, [Double])? in
      let r = idx.compactMap { t.reward($0) }
      return r.count == idx.count ? (t.workerID, r) : nil
    }
    var out = Set<Int>()
    for (id, p) in pts {
      let dominated = pts.contains { _, q in zip(q, p).allSatisfy { $0 >= $1 } && zip(q, p).contains { $0 > $1 } }
      if !dominated { out.insert(id) }
    }
    return out
  }

  /// Trials in completion order (by end time when every finished trial has one, else by worker id),
  /// with x = minutes since the step's first start, or the trial's position (1, 2, …).
  public func timeline() -> (xs: [Double], values: [Double], byTime: Bool) {
    let done = step.trials.filter { $0.isFinished || $0.status == "failed" }
    let byTime = !done.isEmpty && done.allSatisfy { $0.endTime != nil }
    let order = byTime ? done.sorted { ($0.endTime!, $0.workerID) < ($1.endTime!, $1.workerID) } : done.sorted { $0.workerID < $1.workerID }
    let t0 = done.compactMap { $0.startTime ?? $0.endTime }.min()
    let xs = order.enumerated().map { i, t in byTime && t0 != nil ? t.endTime!.timeIntervalSince(t0!) / 60 : Double(i + 1) }
    let values = order.map { $0.value(0) ?? .nan }
    return (xs, values, byTime)
  }

  /// Running best of `values` in the first objective's direction (NaN until the first finite value).
  public func bestSoFar(_ values: [Double]) -> [Double] {
    let maximize = objectives.first?.maximize ?? true
    var best = Double.nan
    return values.map { v in
      if v.isFinite && (best.isNaN || (maximize ? v > best : v < best)) { best = v }
      return best
    }
  }
}
