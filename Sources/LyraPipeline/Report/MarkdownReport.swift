import Foundation
import LyraBase
import LyraPlot

/// `output/report.md`: GitHub-flavoured Markdown; plots are separate SVG files in
/// `output/report_plots/` referenced by relative links (Markdown cannot inline SVG portably).
enum MarkdownReport {
  /// Text from the task (hyperparameters, messages) as inert Markdown: pipes escaped for
  /// tables, and `[`, `]`, `<`, `>` escaped so a value like `[x](javascript:...)` or
  /// `<a href=...>` never becomes a link or raw HTML where the report is rendered.
  /// Works on scalars (LyraBase's `TextEscaping` loop), so a `[` or `<` followed by a
  /// combining mark is escaped too; `\r\n` first becomes one line break.
  static func cell(_ s: String) -> String {
    TextEscaping.replacingScalars(s.replacingOccurrences(of: "\r\n", with: "\n")) { u in
      switch u {
      case "\\": return "\\\\"
      case "|": return "\\|"
      case "[": return "\\["
      case "]": return "\\]"
      case "<": return "&lt;"
      case ">": return "&gt;"
      case "\n", "\r": return " "
      default: return nil
      }
    }
  }

  /// Text inside a code span: literal there (no links, no HTML), so only a backtick
  /// (which would end the span) and line breaks change.
  static func code(_ s: String) -> String {
    s.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "\r\n", with: " ")
      .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
  }

  static func table(_ t: ReportTable) -> [String] {
    var out = ["| " + t.header.map(cell).joined(separator: " | ") + " |",
               "|" + t.header.map { _ in " --- " }.joined(separator: "|") + "|"]
    out += t.rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
    if !t.shared.isEmpty {
      out.append("")
      out.append("Shared by all listed trials: " + t.shared.map { "`\(code($0.0))` = `\(code($0.1))`" }.joined(separator: ", "))
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
        out.append("Objectives: " + a.shownObjectives.map { MetricNames.axisLabel(a.objectives[$0].name, maximize: a.objectives[$0].maximize) }
                   .joined(separator: ", "))
        out.append("")
      }
      if let m = a.step.message { out += ["> " + cell(m), ""] }
      if s.best.rows.isEmpty {
        out.append("No finished trials with a value for the objective.")
      } else {
        out += ["### Best trials", ""] + table(s.best)
      }
      if let f = s.failures { out += ["", "### Failed trials", ""] + table(f) }
      for g in ReportGroup.allCases {
        let charts = s.charts.filter { $0.group == g }
        guard !charts.isEmpty else { continue }
        out += ["", "### \(g.title)"]
        for c in charts { out += ["", "![\(cell(c.caption))](report_plots/\(c.stem).svg)"] }
      }
    }
    return out.joined(separator: "\n") + "\n"
  }
}
