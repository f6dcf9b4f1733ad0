import Foundation
import LyraBase
import LyraPlot

/// `output/report.html`: one self-contained page — inline CSS, inline SVG, no scripts and
/// no external URLs — so it can be mailed, archived or opened offline. Each step is a
/// `<section data-step>` with one `<section data-section="…">` per part (best trials,
/// failures, then `ReportGroup`'s charts), which tests and scripts can find by name.
///
/// Layout: the page is at most 1240 px wide, so it fits a 1280 px window; every table
/// sits in its own horizontally scrolling box and long cells wrap, so a wide table never
/// widens the page. At phone width (~390 px) the tables scroll inside their boxes and the
/// charts stack in one column at their own size, scrolling inside their boxes too: scaled
/// to 390 px a 640 px chart's 12 px labels would shrink to 7 px, too small to read.
enum HTMLReport {
  static func esc(_ s: String) -> String { TextEscaping.xml(s) }

  static let css = """
    *{box-sizing:border-box}
    body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:16px auto;max-width:1240px;padding:0 12px;color:#222;background:#fff}
    h1{font-size:22px;margin-bottom:4px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
    h3{font-size:15px;margin:20px 0 8px}p.note{color:#666;font-size:13px}
    .table-wrap{max-width:100%;overflow-x:auto;margin:6px 0}
    table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;white-space:nowrap;vertical-align:top}
    td.wrap{white-space:normal;min-width:14em;max-width:40em;overflow-wrap:anywhere}
    th{background:#f3f3f3}tr:nth-child(even) td{background:#fafafa}td.num{text-align:right;font-variant-numeric:tabular-nums}
    .status-finished{color:#2a7d2a}.status-error,.status-failed{color:#b22}.status-running{color:#b68900}
    .plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,560px),1fr));gap:16px}
    .plots.small{grid-template-columns:repeat(auto-fill,minmax(min(100%,290px),1fr))}
    figure{margin:0;min-width:0}figcaption{font-size:12px;color:#555;text-align:center;overflow-wrap:anywhere}
    figure.wide{grid-column:1/-1}figure svg{max-width:100%;height:auto;border:1px solid #eee;display:block;margin:0 auto}code{background:#f3f3f3;padding:0 3px;overflow-wrap:anywhere}
    @media (max-width:600px){figure{overflow-x:auto}figure svg{max-width:none}}
    """

  static func isNumeric(_ s: String) -> Bool { Double(s.replacingOccurrences(of: " s", with: "")) != nil }

  static func table(_ t: ReportTable, statusColumn: Int? = nil) -> String {
    var h = "<div class=\"table-wrap\"><table>\n<tr>" + t.header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
    for r in t.rows {
      h += "<tr>" + r.enumerated().map { i, v in
        let cls = i == statusColumn ? " class=\"status-\(esc(v))\"" : (isNumeric(v) ? " class=\"num\"" : (v.count > 40 ? " class=\"wrap\"" : ""))
        return "<td\(cls)>\(esc(v))</td>"
      }.joined() + "</tr>\n"
    }
    h += "</table></div>\n"
    if !t.shared.isEmpty {
      h += "<p class=\"note\">Shared by all listed trials: " + t.shared.map { "<code>\(esc($0.0))</code> = <code>\(esc($0.1))</code>" }
        .joined(separator: ", ") + "</p>\n"
    }
    return h
  }

  static func render(task: String, sections: [ReportSection], written: Date = Date()) -> String {
    let running = sections.contains { $0.analysis.step.status == "running" }
    var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
    h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
    // While the task runs the pipeline rewrites this file after finished trials; reload now and then.
    if running { h += "<meta http-equiv=\"refresh\" content=\"30\"/>\n" }
    h += "<title>Lyra task report: \(esc(task))</title>\n<style>\n\(css)\n</style>\n</head>\n<body>\n"
    h += "<h1>Lyra task report: \(esc(task))</h1>\n"
    h += "<p class=\"note\">Written \(esc(ISO8601DateFormatter().string(from: written)))"
    h += running ? " while the task runs; it is rewritten after finished trials and this page reloads every 30 s." : "."
    h += " Read from <code>output/reports.json</code> and the trials' <code>workers/&lt;step&gt;/&lt;id&gt;/curve.json</code>.</p>\n"
    h += "<section data-section=\"summary\">\n<h2>Summary</h2>\n" + table(ReportTable.summary(sections.map(\.analysis)), statusColumn: 1) + "</section>\n"
    for (i, s) in sections.enumerated() {
      let a = s.analysis
      h += "<section class=\"step\" id=\"step-\(i + 1)\" data-step=\"\(esc(a.step.name))\">\n"
      h += "<h2>Step <code>\(esc(a.step.name))</code></h2>\n"
      if !a.objectives.isEmpty {
        h += "<p>Objectives: " + a.shownObjectives.map { esc(MetricNames.axisLabel(a.objectives[$0].name, maximize: a.objectives[$0].maximize)) }
          .joined(separator: ", ") + "</p>\n"
      }
      if let m = a.step.message { h += "<p class=\"note\">\(esc(m))</p>\n" }
      h += "<section data-section=\"best\">\n<h3>Best trials</h3>\n"
      h += s.best.rows.isEmpty ? "<p>No finished trials with a value for the objective.</p>\n" : table(s.best)
      h += "</section>\n"
      if let f = s.failures { h += "<section data-section=\"failures\">\n<h3>Failed trials</h3>\n" + table(f, statusColumn: 1) + "</section>\n" }
      for g in ReportGroup.allCases {
        let charts = s.charts.filter { $0.group == g }
        guard !charts.isEmpty else { continue }
        h += "<section data-section=\"\(g.rawValue)\">\n<h3>\(esc(g.title))</h3>\n"
        h += "<div class=\"plots\(charts.allSatisfy(\.small) ? " small" : "")\">\n"
        for c in charts { h += "<figure\(c.wide ? " class=\"wide\"" : "") data-chart=\"\(esc(c.stem))\">\n\(c.svg)<figcaption>\(esc(c.caption))</figcaption>\n</figure>\n" }
        h += "</div>\n</section>\n"
      }
      h += "</section>\n"
    }
    return h + "</body>\n</html>\n"
  }
}
