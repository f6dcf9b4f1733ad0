import Foundation
import LyraPlot

/// The rung diagram of a multi-fidelity search (ASHA, Hyperband, BOHB): one column per
/// budget, each trial a dot at its result (brackets in colours), a line from every
/// promoted trial back to the trial it continued, failed trials as red crosses under
/// the axis. Shows which configurations earned more budget and whether the early
/// rungs ranked them the way the later ones did.
enum RungDiagram {
  /// The budget a trial ran to; nil for non-finite values (a hand-edited reports.json).
  static func budget(_ t: ReportTrial) -> Double? {
    (t.budget ?? (t.rung != nil ? t.epochs : nil)).flatMap { $0.isFinite ? $0 : nil }
  }

  static func svg(_ a: StepAnalysis) -> String? {
    guard let obj = a.objectives.first else { return nil }
    let trials = a.step.trials.filter { budget($0) != nil }
    let budgets = Array(Set(trials.compactMap(budget))).sorted()
    guard budgets.count >= 2 else { return nil }
    let colW = 150.0, left = 78.0, top = 84.0, plotH = 280.0, failBand = 30.0
    var c = SVGCanvas(width: left + colW * Double(budgets.count) + 150, height: top + plotH + failBand + 62)
    c.text(c.width / 2, 22, "\(a.step.name): trials per budget and promotions", anchor: .middle, size: 14, bold: true)
    let values = trials.compactMap { $0.value(0) }
    let y = ValueAxis(values: values, from: top + plotH, to: top, log: ValueAxis.wantsLog(values))
    func x(_ b: Double) -> Double { left + colW * (Double(budgets.firstIndex(of: b)!) + 0.5) }
    // Axes and rung headers.
    c.line(left, top, left, top + plotH, stroke: "#444")
    for (v, label) in zip(y.ticks.values, y.ticks.labels) {
      c.line(left - 4, y.map(v), left + colW * Double(budgets.count), y.map(v), stroke: "#eee")
      c.text(left - 7, y.map(v) + 4, label, anchor: .end, size: 10, color: "#444")
    }
    c.text(18, top + plotH / 2, MetricNames.axisLabel(obj.name, maximize: obj.maximize) + (y.log ? ", log scale" : ""), anchor: .middle, rotate: true)
    for b in budgets {
      let here = trials.filter { budget($0) == b }
      c.text(x(b), top - 30, "budget \(PlotFormat.number(b))", anchor: .middle, bold: true)
      c.text(x(b), top - 14, "\(here.count) trials, \(here.filter { $0.status == "failed" }.count) failed", anchor: .middle, size: 10, color: "#555")
    }
    c.text(left + colW * Double(budgets.count) / 2, top + plotH + failBand + 40, "budget (epochs)", anchor: .middle)
    let byID = Dictionary(trials.map { ($0.workerID, $0) }, uniquingKeysWith: { a, _ in a })
    let brackets = Array(Set(trials.compactMap(\.bracket))).sorted()
    func color(_ t: ReportTrial) -> String { Palette.color(t.bracket.flatMap { brackets.firstIndex(of: $0) } ?? 0) }
    // A small horizontal offset per trial keeps dots of equal value apart.
    func jitter(_ t: ReportTrial) -> Double { Double((t.workerID * 37) % 11 - 5) * 4 }
    func point(_ t: ReportTrial) -> (Double, Double)? {
      guard let b = budget(t), let v = t.value(0) else { return nil }
      return (x(b) + jitter(t), y.map(v))
    }
    for t in trials {
      guard let p = t.resumeFrom.flatMap({ byID[$0] }), let from = point(p), let to = point(t) else { continue }
      c.line(from.0, from.1, to.0, to.1, stroke: color(t), width: 1.2)
    }
    let failY = top + plotH + failBand / 2 + 4
    for t in trials {
      if let p = point(t) {
        c.circle(p.0, p.1, r: 4, fill: color(t), stroke: "#fff",
                 title: "trial \(t.workerID)" + (t.resumeFrom.map { " (promoted from \($0))" } ?? "") + ": \(obj.name) = \(PlotFormat.number(t.value(0)!))")
      } else if t.status == "failed", let b = budget(t) {
        let px = x(b) + jitter(t)
        c.line(px - 4, failY - 4, px + 4, failY + 4, stroke: "#c22", width: 2)
        c.line(px - 4, failY + 4, px + 4, failY - 4, stroke: "#c22", width: 2)
      }
    }
    if trials.contains(where: { $0.status == "failed" }) { c.text(left - 7, failY + 4, "failed", anchor: .end, size: 10, color: "#c22") }
    // Legend: brackets.
    let lx = left + colW * Double(budgets.count) + 20
    for (i, b) in brackets.enumerated() {
      c.circle(lx, top + 8 + Double(i) * 18, r: 4, fill: Palette.color(i))
      c.text(lx + 10, top + 12 + Double(i) * 18, "bracket \(b)", size: 11)
    }
    return c.document(title: "\(a.step.name): rungs and promotions")
  }
}
