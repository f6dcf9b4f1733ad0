import Foundation
import LyraPlot

/// One step's rendered material, shared by both report formats.
struct ReportSection {
  var analysis: StepAnalysis
  var best: ReportTable
  var failures: ReportTable?
  var charts: [ReportChart]
}

/// Writes `output/report.md` (+ `output/report_plots/*.svg`) and `output/report.html`
/// for a task folder in VEGA's layout (see `TaskOutput`), from `output/reports.json`
/// and the trials' `curve.json` files (see `LearningCurve`).
///
/// Per step (docs/pipeline.md#the-report): status and counts, the best trials, the failed
/// trials with their reasons, then `ReportGroup`'s charts: learning curves (promotions
/// joined), optimisation history, hyperparameter importance (fANOVA), hyperparameter vs
/// objective, parallel coordinates, the rung diagram, the worker timeline and, for
/// multi-objective steps, the Pareto front. Reading only files (never the trial store)
/// means a report can be rebuilt for any task folder, running or finished, copied from anywhere.
public struct ReportWriter {
  public var taskRoot: String
  /// Rows in each step's table of best trials.
  public var topTrials = 10
  /// Best trials whose learning curves are drawn.
  public var curveTrials = 8

  public init(taskRoot: String) { self.taskRoot = taskRoot }

  /// Paths of the files written.
  public struct Output {
    public var markdown: String
    public var html: String
    public var plots: [String]
  }

  @discardableResult
  public func write() throws -> Output {
    let report = try TaskReport.load(taskRoot: taskRoot)
    let task = URL(fileURLWithPath: taskRoot).standardizedFileURL.lastPathComponent
    let sections = report.steps.map { step -> ReportSection in
      let a = StepAnalysis(step)
      let charts = ReportCharts.charts(a, taskRoot: taskRoot, curveTrials: curveTrials)
      return ReportSection(analysis: a, best: ReportTable.best(a, top: topTrials), failures: ReportTable.failures(a), charts: charts)
    }
    let layout = TaskLayout(root: taskRoot)
    let plotDir = layout.reportPlots
    try FileAccessError.guarding(plotDir, "create the folder") { try FileManager.default.createDirectory(atPath: plotDir, withIntermediateDirectories: true) }
    // Plots of an earlier report of this task (steps since renamed, fewer curves) would linger as dead files.
    for f in (try? FileManager.default.contentsOfDirectory(atPath: plotDir)) ?? [] where f.hasSuffix(".svg") {
      try? FileManager.default.removeItem(atPath: plotDir + "/" + f)
    }
    var plots: [String] = []
    for s in sections {
      for c in s.charts {
        let p = layout.reportPlot(c.stem)
        try FileAccessError.guarding(p, "write") { try Data(c.svg.utf8).write(to: URL(fileURLWithPath: p), options: .atomic) }
        plots.append(p)
      }
    }
    let md = layout.reportMarkdown, html = layout.reportHTML
    try FileAccessError.guarding(md, "write") {
      try Data(MarkdownReport.render(task: task, sections: sections).utf8).write(to: URL(fileURLWithPath: md), options: .atomic)
    }
    try FileAccessError.guarding(html, "write") {
      try Data(HTMLReport.render(task: task, sections: sections).utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
    }
    return Output(markdown: md, html: html, plots: plots)
  }
}
