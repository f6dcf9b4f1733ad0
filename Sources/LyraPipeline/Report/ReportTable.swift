import Foundation
import LyraBase
import LyraPlot

/// A table as plain strings (header, rows, a note), rendered by both writers so the
/// Markdown and HTML reports always agree.
struct ReportTable {
  var header: [String]
  var rows: [[String]]
  /// Settings that every listed trial shares, shown once under the table instead of as columns.
  var shared: [(String, String)] = []

  static func num(_ v: Double?) -> String { v.map(PlotFormat.number) ?? "–" }

  static func duration(_ s: Double?) -> String {
    guard let s, s.isFinite else { return "–" }
    if s < 120 { return PlotFormat.number((s * 10).rounded() / 10) + " s" }
    if s < 7200 { return PlotFormat.number((s / 6).rounded() / 10) + " min" }
    return PlotFormat.number((s / 360).rounded() / 10) + " h"
  }

  /// Leaves of a JSON tree as dotted paths, in key order.
  static func flatten(_ j: JSON, prefix: String = "") -> [(String, String)] {
    switch j {
    case .object, .orderedObject:
      let o = j.object ?? [:]
      return o.keys.sorted().flatMap { flatten(o[$0]!, prefix: prefix.isEmpty ? $0 : prefix + "." + $0) }
    case .null: return prefix.isEmpty ? [] : [(prefix, "null")]
    case .number(let d): return [(prefix, PlotFormat.number(d))]
    case .string(let s): return [(prefix, s)]
    case .bool(let b): return [(prefix, b ? "true" : "false")]
    case .array: return [(prefix, j.text)]
    }
  }

  /// Each dotted key by its shortest unambiguous tail among `keys`
  /// (`trainer.optimizer.params.lr` → `lr`, but `a.width` / `b.width` stay two-part),
  /// so setting columns and axes stay narrow; the full keys are in the notes and captions.
  static func shortNames(_ keys: [String]) -> [String: String] {
    var out: [String: String] = [:]
    for k in keys {
      let parts = k.split(separator: ".")
      out[k] = k
      for n in 1...max(parts.count, 1) {
        let tail = parts.suffix(n).joined(separator: ".")
        if keys.filter({ $0 == tail || $0.hasSuffix("." + tail) }).count == 1 { out[k] = tail; break }
      }
    }
    return out
  }

  /// The step's summary line in the task table.
  static func summary(_ steps: [StepAnalysis]) -> ReportTable {
    ReportTable(header: ["Step", "Status", "Trials", "Finished", "Failed", "Best", "Duration"], rows: steps.map { a in
      let best = a.best.map { "\(a.objectives[0].name) = \(num($0.value(0))) (trial \($0.workerID))" } ?? "–"
      let dur = a.step.startTime.flatMap { s in a.step.endTime.map { $0.timeIntervalSince(s) } }
      return [a.step.name, a.step.status, "\(a.step.trials.count)", "\(a.finished)", "\(a.failed)", best, duration(dur)]
    })
  }

  /// The `top` best trials: rank, id, objectives, other metrics (aliases once, static ones in
  /// their display units), the settings that differ, the trial a promotion continued, epochs, time.
  static func best(_ a: StepAnalysis, top: Int, maxSettings: Int = 6) -> ReportTable {
    let list = Array(a.ranked.prefix(top))
    let objNames = a.objectives.map(\.name)
    let allKeys = Set(list.flatMap { $0.performance.keys }).union(objNames)
    let metrics = Set(list.flatMap { $0.performance.keys }).subtracting(objNames).sorted()
      .filter { !MetricNames.isAlias($0, among: allKeys) }
    let configs = list.map { t in
      Dictionary(flatten(t.hps) + (t.desc == .null ? [] : flatten(t.desc, prefix: "desc")), uniquingKeysWith: { a, _ in a })
    }
    let keys = Set(configs.flatMap(\.keys)).sorted()
    var varying: [String] = [], shared: [(String, String)] = []
    for k in keys {
      let vals = Set(configs.map { $0[k] ?? "–" })
      if vals.count == 1 && list.count > 1 { shared.append((k, vals.first!)) } else { varying.append(k) }
    }
    let cols = Array(varying.prefix(maxSettings))
    let shown = a.shownObjectives
    let multi = shown.count >= 2
    let promoted = a.step.trials.contains { $0.resumeFrom != nil }
    let short = shortNames(keys)
    var header = ["Rank", "Trial"] + shown.map { MetricNames.axisLabel(a.objectives[$0].name, maximize: a.objectives[$0].maximize) }
      + metrics.map { MetricNames.axisLabel($0, maximize: nil) } + cols.map { short[$0] ?? $0 }
    if multi { header.insert("Pareto", at: 2) }
    if promoted { header.append("From") }
    header += ["Epochs", "Time"]
    let rows: [[String]] = list.enumerated().map { i, t in
      var r = ["\(i + 1)", "\(t.workerID)"]
      if multi { r.append(a.paretoIDs.contains(t.workerID) ? "★" : "") }
      r += shown.map { j in num(t.value(j).map { MetricNames.scaled(a.objectives[j].name, $0) }) }
      r += metrics.map { m in num(t.performance[m].map { MetricNames.scaled(m, $0) }) }
      r += cols.map { configs[i][$0] ?? "–" }
      if promoted { r.append(t.resumeFrom.map { "\($0)" } ?? "") }
      r += [num(t.epochs ?? t.budget), duration(t.duration)]
      return r
    }
    if varying.count > cols.count { shared.append(("(not shown)", varying.dropFirst(cols.count).joined(separator: ", "))) }
    return ReportTable(header: header, rows: rows, shared: shared)
  }

  /// Failed trials with their reasons (why a search lost trials), at most `limit` rows.
  static func failures(_ a: StepAnalysis, limit: Int = 20) -> ReportTable? {
    let f = a.step.trials.filter { $0.status == "failed" }
    guard !f.isEmpty else { return nil }
    var t = ReportTable(header: ["Trial", "Status", "Budget", "Reason"], rows: f.prefix(limit).map {
      ["\($0.workerID)", $0.status, num($0.budget ?? $0.epochs), $0.message ?? "(no message recorded)"]
    })
    if f.count > limit { t.shared = [("(not listed)", "\(f.count - limit) more failed trials")] }
    return t
  }
}
