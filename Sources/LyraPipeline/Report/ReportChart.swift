import Foundation

/// The report's sections within a step, in page order, each answering one question a
/// searcher asks (Optuna's dashboard and VEGA's reports are the models).
enum ReportGroup: String, CaseIterable {
  case curves, history, importance, params, parallel, rungs, timeline, pareto

  var title: String {
    switch self {
    case .curves: return "Learning curves"
    case .history: return "Optimisation history"
    case .importance: return "Hyperparameter importance"
    case .params: return "Hyperparameters vs objective"
    case .parallel: return "Parallel coordinates"
    case .rungs: return "Rungs and promotions"
    case .timeline: return "Worker timeline"
    case .pareto: return "Pareto front"
    }
  }
}

/// One chart of a step's section: its group, a stable file-name stem for the Markdown
/// report's `report_plots/` folder, a caption, and the SVG.
struct ReportChart {
  var group: ReportGroup
  var stem: String
  var caption: String
  var svg: String
  /// Small multiples (one per hyperparameter) sit in a denser grid.
  var small = false
  /// Wide charts (parallel coordinates, rung diagram, timeline) take the full row.
  var wide = false
}

enum ReportCharts {
  /// Every chart of a step, in group order; a chart that has nothing to show is left out.
  static func charts(_ a: StepAnalysis, taskRoot: String, curveTrials: Int) -> [ReportChart] {
    let stem = String(a.step.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    var out: [ReportChart] = []
    func add(_ g: ReportGroup, _ name: String, _ caption: String, _ svg: String?, small: Bool = false, wide: Bool = false) {
      if let svg { out.append(ReportChart(group: g, stem: "\(stem)_\(name)", caption: caption, svg: svg, small: small, wide: wide)) }
    }
    let lineage = CurveLineage(a.step, taskRoot: taskRoot)
    for (i, c) in LearningCurveCharts.charts(a, lineage: lineage, highlighted: curveTrials).enumerated() {
      add(.curves, "curve_\(i + 1)", c.caption, c.plot.svg())
    }
    add(.history, "history", "Every trial's objective (dots; failed trials have none) and the best so far (line)",
        OptimizationHistory.plot(a)?.svg())
    let params = ParamMatrix(a)
    if let ranking = FANOVA.ranking(params) {
      add(.importance, "importance", "fANOVA on a random forest (32 trees): share of the objective's variance each hyperparameter explains alone",
          ImportanceChart.svg(ranking, step: a.step.name))
    }
    for (i, p) in ParamScatter.plots(params, a).enumerated() {
      add(.params, "param_\(i + 1)", p.caption, p.plot.svg(), small: true)
    }
    add(.parallel, "parallel", "One line per configuration, coloured by the objective (dark: better)", ParallelCoordinates.svg(params, a), wide: true)
    add(.rungs, "rungs", "Each trial at the budget it ran to; a line joins a promoted trial to the trial it continued",
        RungDiagram.svg(a), wide: true)
    add(.timeline, "timeline", "When each worker ran which trial", WorkerTimeline.svg(a), wide: true)
    add(.pareto, "pareto", "Pareto front of the first two objectives", ParetoChart.plot(a)?.svg())
    return out
  }
}
