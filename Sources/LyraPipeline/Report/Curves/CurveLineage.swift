import Foundation

/// Learning curves with multi-fidelity promotions joined up. An ASHA/Hyperband/BOHB
/// promotion is a new trial that continues its parent's checkpoint, so its own
/// `curve.json` starts where the parent stopped (epoch 2 after a 1-epoch rung). Drawn
/// alone it looks like a run that skipped its first epochs; here each promoted trial's
/// curve is its ancestors' points followed by its own, one continuing line.
struct CurveLineage {
  /// Each trial's own curve, by worker id.
  let own: [Int: LearningCurve]
  /// Promotion parent of each trial that continued another.
  let parent: [Int: Int]

  init(_ step: ReportStep, taskRoot: String) {
    var own: [Int: LearningCurve] = [:]
    for t in step.trials {
      if let c = LearningCurve.read(LearningCurve.path(taskRoot: taskRoot, step: step.name, workerID: t.workerID)), !c.points.isEmpty {
        own[t.workerID] = c
      }
    }
    self.own = own
    parent = Dictionary(step.trials.compactMap { t in t.resumeFrom.map { (t.workerID, $0) } }, uniquingKeysWith: { a, _ in a })
  }

  init(own: [Int: LearningCurve], parent: [Int: Int]) {
    self.own = own
    self.parent = parent
  }

  /// `id`'s ancestors, oldest first, then `id` (a cycle in hostile records stops the walk).
  func chain(_ id: Int) -> [Int] {
    var out = [id], seen: Set<Int> = [id]
    while let p = parent[out[0]], !seen.contains(p) {
      out.insert(p, at: 0)
      seen.insert(p)
    }
    return out
  }

  /// The joined curve: every ancestor's points before the next trial's first epoch, then
  /// the next's (a promoted trial that restarted from scratch replaces, not repeats, them).
  func joined(_ id: Int) -> [LearningCurve.Point] {
    var pts: [LearningCurve.Point] = []
    for t in chain(id) {
      guard let c = own[t]?.points, let first = c.first?.epoch else { continue }
      pts = pts.filter { $0.epoch < first } + c
    }
    return pts
  }

  /// Trials that no other trial continued (the ends of the lines), among `ids`.
  func leaves(_ ids: [Int]) -> [Int] {
    let continued = Set(parent.values)
    return ids.filter { !continued.contains($0) }
  }
}
