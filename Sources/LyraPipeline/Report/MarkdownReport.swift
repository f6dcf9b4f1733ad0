import Foundation
import LyraPlot

/// `output/report.md`: GitHub-flavoured Markdown; plots are separate SVG files in
/// `output/report_plots/` referenced by relative links (Markdown cannot inline SVG portably).
enum MarkdownReport {
  static func cell(_ s: String) -> String {
    s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
      .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
  }

  static func table(_ t: ReportTable) -> [String] {
    var out = ["| " + t.header.map(cell).joined(separator: " | ") + " |",
               "|" + t.header.map { _ in " --- " }.joined(separator: "|") + "|"]
    out += t.rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
    if !t.shared.isEmpty {
      out.append("")
      out.append("Shared by all listed trials: " + t.shared.map { "`\($0.0)` = `\(cell($0.1))`" }.joined(separator: ", "))
    }
    return out
  }

  static func render(task: String, sections: [ReportSection]) -> String {
    var out = ["# Lyra task report: \(task)", ""]
    out.append("Read from `output/reports.json`; learning curves from `workers/<step>/<id>/curve.json`.")
    out += ["", "## Summary", ""] + table(ReportTable.summary(sections.map(\.analysis)))
    for s in sections {
      let a = s.analysis
      out += ["", "## Step `\(a.step.name)`", ""]
      if !a.objectives.isEmpty {
        out.append("Objectives: " + a.objectives.map { "\($0.name) (\($0.maximize ? "max" : "min"))" }.joined(separator: ", "))
        out.append("")
      }
      if let m = a.step.message { out += ["> " + cell(m), ""] }
      if s.best.rows.isEmpty {
        out.append("No finished trials with a value for the objective.")
      } else {
        out += ["### Best trials", ""] + table(s.best)
      }
      if let f = s.failures { out += ["", "### Failed trials", ""] + table(f) }
      for c in s.charts {
        out += ["", "### \(c.caption)", "", "![\(c.caption)](report_plots/\(c.stem).svg)"]
      }
    }
    return out.joined(separator: "\n") + "\n"
  }
}
