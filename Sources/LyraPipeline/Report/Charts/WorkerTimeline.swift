import Foundation
import LyraPlot

/// A Gantt chart of the search: one row per worker, one bar per trial from its start
/// to its end (green finished, red failed, grey pruned, amber running), so idle workers
/// and stragglers show at a glance.
enum WorkerTimeline {
  static func svg(_ a: StepAnalysis, now: Date = Date()) -> String? {
    let trials = a.step.trials.filter { $0.startTime != nil && ($0.endTime != nil || $0.status == "running") }
    guard !trials.isEmpty else { return nil }
    let workers = Array(Set(trials.map { $0.worker ?? "main" })).sorted()
    let t0 = trials.compactMap(\.startTime).min()!
    let ends = trials.map { $0.endTime ?? now }
    // Times are recorded to the second: at least a 1 s axis, never a span of zero.
    let span = max(ends.map { $0.timeIntervalSince(t0) }.max() ?? 1, 1)
    let minutes = span >= 120
    let unit = minutes ? 60.0 : 1.0
    let rowH = 24.0, labelW = min(180, 20 + 7 * Double(workers.map(\.count).max() ?? 4)), plotW = 820.0, top = 40.0
    var c = SVGCanvas(width: labelW + plotW + 30, height: top + rowH * Double(workers.count) + 56)
    c.text(c.width / 2, 22, "\(a.step.name): trials per worker", anchor: .middle, size: 14, bold: true)
    let x = ValueAxis(values: [0, span / unit], from: labelW, to: labelW + plotW)
    let bottom = top + rowH * Double(workers.count)
    for (v, label) in zip(x.ticks.values, x.ticks.labels) {
      c.line(x.map(v), top, x.map(v), bottom + 4, stroke: "#e4e4e4")
      c.text(x.map(v), bottom + 17, label, anchor: .middle, size: 10, color: "#444")
    }
    c.text(labelW + plotW / 2, bottom + 38, minutes ? "minutes since the first trial started" : "seconds since the first trial started", anchor: .middle)
    for (row, w) in workers.enumerated() {
      let y = top + rowH * Double(row)
      c.text(labelW - 8, y + 16, SVGCanvas.clip(w, 24), anchor: .end, size: 11)
      for (t, end) in zip(trials, ends) where (t.worker ?? "main") == w {
        let s = t.startTime!.timeIntervalSince(t0) / unit, e = end.timeIntervalSince(t0) / unit
        // A 1 px gap at the end keeps back-to-back trials apart.
        let bx = x.map(s), bw = max(x.map(e) - bx - 1, 1.5)
        c.rect(bx, y + 3, bw, rowH - 6, fill: fill(t.status),
               title: "trial \(t.workerID) (\(t.status)): \(ReportTable.duration(end.timeIntervalSince(t.startTime!)))")
        if bw > 22 { c.text(bx + bw / 2, y + 16, "\(t.workerID)", anchor: .middle, size: 10, color: "#fff") }
      }
    }
    return c.document(title: "\(a.step.name): worker timeline")
  }

  static func fill(_ status: String) -> String {
    switch status {
    case "finished": return "#3a8a3a"
    case "failed": return "#c0392b"
    case "running": return "#d49a00"
    default: return "#999999"
    }
  }
}
