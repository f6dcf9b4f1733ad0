import Foundation
import LyraBase
import LyraPlot

/// `output/report.html`: one self-contained page — inline CSS, inline SVG, no scripts and
/// no external URLs — so it can be mailed, archived or opened offline.
enum HTMLReport {
  static func esc(_ s: String) -> String { TextEscaping.xml(s) }

  static let css = """
    body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1320px;padding:0 16px;color:#222;background:#fff}
    h1{font-size:22px;margin-bottom:4px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
    h3{font-size:15px;margin:18px 0 8px}p.note{color:#666;font-size:13px}
    table{border-collapse:collapse;font-size:13px;margin:6px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;white-space:nowrap}
    th{background:#f3f3f3}tr:nth-child(even) td{background:#fafafa}td.num{text-align:right;font-variant-numeric:tabular-nums}
    .status-finished{color:#2a7d2a}.status-error,.status-failed{color:#b22}.status-running{color:#b68900}
    .plots{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-size:12px;color:#555;text-align:center}
    figure svg{max-width:100%;height:auto;border:1px solid #eee}code{background:#f3f3f3;padding:0 3px}
    """

  static func isNumeric(_ s: String) -> Bool { Double(s.replacingOccurrences(of: " s", with: "")) != nil }

  static func table(_ t: ReportTable, statusColumn: Int? = nil) -> String {
    var h = "<table>\n<tr>" + t.header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
    for r in t.rows {
      h += "<tr>" + r.enumerated().map { i, v in
        let cls = i == statusColumn ? " class=\"status-\(esc(v))\"" : (isNumeric(v) ? " class=\"num\"" : "")
        return "<td\(cls)>\(esc(v))</td>"
      }.joined() + "</tr>\n"
    }
    h += "</table>\n"
    if !t.shared.isEmpty {
      h += "<p class=\"note\">Shared by all listed trials: " + t.shared.map { "<code>\(esc($0.0))</code> = <code>\(esc($0.1))</code>" }
        .joined(separator: ", ") + "</p>\n"
    }
    return h
  }

  static func render(task: String, sections: [ReportSection]) -> String {
    var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    h += "<title>Lyra task report: \(esc(task))</title>\n<style>\n\(css)\n</style>\n</head>\n<body>\n"
    h += "<h1>Lyra task report: \(esc(task))</h1>\n"
    h += "<p class=\"note\">Read from <code>output/reports.json</code>; learning curves from <code>workers/&lt;step&gt;/&lt;id&gt;/curve.json</code>.</p>\n"
    h += "<h2>Summary</h2>\n" + table(ReportTable.summary(sections.map(\.analysis)), statusColumn: 1)
    for (i, s) in sections.enumerated() {
      let a = s.analysis
      h += "<h2 id=\"step-\(i + 1)\">Step <code>\(esc(a.step.name))</code></h2>\n"
      if !a.objectives.isEmpty {
        h += "<p>Objectives: " + a.objectives.map { "\(esc($0.name)) (\($0.maximize ? "max" : "min"))" }.joined(separator: ", ") + "</p>\n"
      }
      if let m = a.step.message { h += "<p class=\"note\">\(esc(m))</p>\n" }
      if s.best.rows.isEmpty {
        h += "<p>No finished trials with a value for the objective.</p>\n"
      } else {
        h += "<h3>Best trials</h3>\n" + table(s.best)
      }
      if let f = s.failures { h += "<h3>Failed trials</h3>\n" + table(f) }
      if !s.charts.isEmpty {
        h += "<div class=\"plots\">\n"
        for c in s.charts {
          h += "<figure>\n\(c.svg)<figcaption>\(esc(c.caption))</figcaption>\n</figure>\n"
        }
        h += "</div>\n"
      }
    }
    return h + "</body>\n</html>\n"
  }
}
