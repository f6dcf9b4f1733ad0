import Foundation
import LyraPlot

/// Per-trial training-loss and validation curves: one chart per curve key (training
/// loss, validation loss, then the objectives and other metrics), one line per trial
/// with promotions joined (`CurveLineage`). The best `highlighted` trials get colours
/// and a legend entry, the rest are drawn muted behind them. Static metrics (FLOPs,
/// parameters, latency) and aliases (`accuracy_top1` beside `accuracy`) get no chart.
enum LearningCurveCharts {
  static func title(_ key: String) -> String {
    switch key {
    case "loss": return "Training loss"
    case "valid_loss": return "Validation loss"
    default: return "Validation \(key)"
    }
  }

  /// The keys that get a chart, in order, at most `limit`.
  static func keys(_ curves: [LearningCurve], objectives: [String], limit: Int = 4) -> [String] {
    var all: [String] = []
    for c in curves { for k in c.keys where !all.contains(k) { all.append(k) } }
    all = MetricNames.withoutAliases(all).filter { !MetricNames.isStatic($0) }
    var first: [String] = []
    for k in ["loss", "valid_loss"] + objectives where !first.contains(k) { first.append(k) }
    let ordered = first.filter(all.contains) + all.filter { !first.contains($0) }
    return Array(ordered.prefix(limit))
  }

  static func charts(_ a: StepAnalysis, lineage: CurveLineage, highlighted: Int) -> [(caption: String, plot: Plot)] {
    // Ends of lines in rank order (finished trials first), then trials without a value.
    let rankedIDs = a.ranked.map(\.workerID)
    let others = a.step.trials.map(\.workerID).filter { !rankedIDs.contains($0) }
    let ends = lineage.leaves(rankedIDs + others).filter { lineage.own[$0] != nil }
    guard !ends.isEmpty else { return [] }
    let top = Array(ends.prefix(highlighted)), rest = Array(ends.dropFirst(highlighted))
    let ks = keys(ends.compactMap { lineage.own[$0] }, objectives: a.objectives.map(\.name))
    return ks.map { key in
      var p = Plot()
      func draw(_ id: Int, label: String?, color: String?) {
        let pts = lineage.joined(id).filter { $0.values[key] != nil }
        guard !pts.isEmpty else { return }
        p = p.line(x: pts.map(\.epoch), y: pts.map { $0.values[key]! }, label: label, markers: pts.count <= 20, color: color)
      }
      for id in rest { draw(id, label: nil, color: Palette.muted) }
      for (i, id) in top.enumerated() {
        let chain = lineage.chain(id)
        let label = chain.count > 1 ? "trial \(id) (from \(chain.dropLast().reversed().map(String.init).joined(separator: "←")))" : "trial \(id)"
        draw(id, label: label, color: Palette.color(i))
      }
      let drawn = p.series.flatMap(\.y)
      p = p.logY(ValueAxis.wantsLog(drawn))
      let caption = "\(title(key)) per epoch" + (rest.isEmpty ? "" : "; the best \(top.count) trials in colour, \(rest.count) more in grey")
      return (caption, p.title("\(a.step.name): \(title(key).lowercased())").xlabel("epoch").ylabel(key).integerX())
    }
  }
}
