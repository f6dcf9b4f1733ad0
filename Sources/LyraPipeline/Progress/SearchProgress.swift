import Foundation
import LyraSearch

/// The live status of a search step: "[hpo] 7 done · 1 running · 0 failed · best
/// accuracy 0.8873 (#4) · 2m13s · ETA ~1m40s · trial 9: epoch 2/3".
///
/// The ETA is the mean time per finished trial times the trials still planned, shown
/// only when the algorithm's trial count is known up front (random, TPE, ASHA,
/// evolution) and at least one trial has finished; it is marked `~` because trials
/// differ in budget.
final class SearchProgress {
  let step: String
  let store: TrialStore
  let algorithm: SearchAlgorithm
  let planned: Int?
  let console: StatusLine
  let started = Date()
  var note = ""

  init(step: String, store: TrialStore, algorithm: SearchAlgorithm, planned: Int?, console: StatusLine) {
    self.step = step
    self.store = store
    self.algorithm = algorithm
    self.planned = planned
    self.console = console
  }

  /// Redraws the line (throttled by the console); `note` is what the current trial does.
  func refresh(note: String? = nil, force: Bool = false) {
    guard console.live else { return }
    if let note { self.note = note }
    console.update(text(), force: force)
  }

  func text() -> String {
    let c = (try? store.counts(step: step)) ?? [:]
    let done = c[.completed] ?? 0, running = (c[.running] ?? 0), failed = (c[.failed] ?? 0) + (c[.pruned] ?? 0)
    var parts = ["[\(step)] \(done) done", "\(running) running", "\(failed) failed"]
    if let b = algorithm.best(), let o = algorithm.objectives.first, let v = b.result.metrics[o.name] {
      parts.append(String(format: "best %@ %.4g (#%d)", o.name, v, b.trial.id))
    }
    let elapsed = Date().timeIntervalSince(started)
    parts.append(StatusLine.duration(elapsed))
    let finished = done + failed
    if let planned, finished > 0, planned > finished {
      parts.append("ETA ~" + StatusLine.duration(elapsed / Double(finished) * Double(planned - finished)))
    }
    if !note.isEmpty { parts.append(note) }
    return parts.joined(separator: " · ")
  }
}
