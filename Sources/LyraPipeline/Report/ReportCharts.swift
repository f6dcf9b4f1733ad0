import Foundation
import LyraPlot

/// The plots of one step's section; each has a stable file-name stem for the Markdown
/// report's `report_plots/` folder.
struct ReportChart {
  var stem: String
  var caption: String
  var plot: Plot
}

enum ReportCharts {
  static func charts(_ a: StepAnalysis, taskRoot: String, curveTrials: Int) -> [ReportChart] {
    var out: [ReportChart] = []
    let safe = a.step.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
    let stem = String(safe)
    if let c = bestSoFar(a) { out.append(ReportChart(stem: "\(stem)_best_so_far", caption: "Best so far", plot: c)) }
    if let c = pareto(a) { out.append(ReportChart(stem: "\(stem)_pareto", caption: "Pareto front", plot: c)) }
    for (i, (key, p)) in learningCurves(a, taskRoot: taskRoot, trials: curveTrials).enumerated() {
      out.append(ReportChart(stem: "\(stem)_curve_\(i + 1)", caption: "Learning curves: \(key)", plot: p))
    }
    return out
  }

  /// Every trial's first objective (grey dots) and the running best (step line).
  static func bestSoFar(_ a: StepAnalysis) -> Plot? {
    guard let obj = a.objectives.first else { return nil }
    let (xs, vs, byTime) = a.timeline()
    guard vs.contains(where: \.isFinite) else { return nil }
    let best = a.bestSoFar(vs)
    let finite = vs.filter(\.isFinite)
    // Log scale when a minimised positive quantity spans over two decades (losses, errors).
    let logY = !obj.maximize && finite.allSatisfy { $0 > 0 } && (finite.max()! / finite.min()!) > 100
    return Plot().scatter(x: xs, y: vs, label: "trial", color: Palette.muted)
      .step(x: xs, y: best, label: "best so far", mode: .post, color: Palette.color(0))
      .logY(logY)
      .title("\(a.step.name): best \(obj.name) so far")
      .xlabel(byTime ? "minutes since start" : "trial (in completion order)")
      .ylabel("\(obj.name) (\(obj.maximize ? "max" : "min"))")
  }

  /// First two objectives of every finished trial, the 2-D front highlighted.
  static func pareto(_ a: StepAnalysis) -> Plot? {
    let objs = a.objectives
    guard objs.count >= 2 else { return nil }
    let pts = a.ranked.filter { $0.value(1) != nil }
    guard !pts.isEmpty else { return nil }
    let xs = pts.map { $0.value(0)! }, ys = pts.map { $0.value(1)! }
    let front = StepAnalysis.front(pts, objectives: [0, 1])
    let idx = pts.indices.filter { front.contains(pts[$0].workerID) }
    let dir = { (m: Bool) in m ? "max" : "min" }
    return Plot.scatter(x: xs, y: ys, label: "trials", highlight: idx, highlightLabel: "Pareto front",
                        step: objs[0].maximize ? .pre : .post)
      .title("\(a.step.name): \(objs[0].name) vs \(objs[1].name)")
      .xlabel("\(objs[0].name) (\(dir(objs[0].maximize)))")
      .ylabel("\(objs[1].name) (\(dir(objs[1].maximize)))")
  }

  /// One chart per curve key (loss first), one line per best trial that has a curve file.
  static func learningCurves(_ a: StepAnalysis, taskRoot: String, trials: Int) -> [(String, Plot)] {
    var curves: [(Int, LearningCurve)] = []
    for t in a.ranked {
      guard curves.count < trials else { break }
      if let c = LearningCurve.read(LearningCurve.path(taskRoot: taskRoot, step: a.step.name, workerID: t.workerID)),
         !c.points.isEmpty { curves.append((t.workerID, c)) }
    }
    guard !curves.isEmpty else { return [] }
    var keys: [String] = []
    for (_, c) in curves { for k in c.keys where !keys.contains(k) { keys.append(k) } }
    return keys.prefix(4).map { key in
      var p = Plot()
      for (id, c) in curves {
        let pts = c.points.filter { $0.values[key] != nil }
        guard !pts.isEmpty else { continue }
        p = p.line(x: pts.map(\.epoch), y: pts.map { $0.values[key]! }, label: "trial \(id)", markers: pts.count <= 30)
      }
      return (key, p.title("\(a.step.name): \(key)").xlabel("epoch").ylabel(key))
    }
  }
}
