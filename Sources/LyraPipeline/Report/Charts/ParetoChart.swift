import Foundation
import LyraPlot

/// The first two objectives of every finished trial, the front highlighted, in display
/// units (MFLOPs, K params, ms). Only for steps that search several objectives and
/// have at least two trials to compare; objectives that are aliases count once.
enum ParetoChart {
  static func plot(_ a: StepAnalysis) -> Plot? {
    let names = MetricNames.withoutAliases(a.objectives.map(\.name))
    guard names.count >= 2, let i0 = a.objectives.firstIndex(where: { $0.name == names[0] }),
          let i1 = a.objectives.firstIndex(where: { $0.name == names[1] }) else { return nil }
    let pts = a.ranked.filter { $0.value(i0) != nil && $0.value(i1) != nil }
    guard pts.count >= 2 else { return nil }
    let o0 = a.objectives[i0], o1 = a.objectives[i1]
    let xs = pts.map { MetricNames.scaled(o0.name, $0.value(i0)!) }, ys = pts.map { MetricNames.scaled(o1.name, $0.value(i1)!) }
    let front = StepAnalysis.front(pts, objectives: [i0, i1])
    let idx = pts.indices.filter { front.contains(pts[$0].workerID) }
    return Plot.scatter(x: xs, y: ys, label: "trials", highlight: idx, highlightLabel: "Pareto front", step: o0.maximize ? .pre : .post)
      .title("\(a.step.name): \(o0.name) vs \(o1.name)")
      .xlabel(MetricNames.axisLabel(o0.name, maximize: o0.maximize))
      .ylabel(MetricNames.axisLabel(o1.name, maximize: o1.maximize))
  }
}
