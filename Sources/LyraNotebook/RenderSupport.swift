import Foundation

/// What the three renderers (Markdown, HTML, ipynb) share: the document title, notes for
/// cells that did not run, code fences and the summary line.
enum RenderSupport {
  /// The first `# heading` of a markdown cell, else the file name.
  static func title(_ run: NotebookRun) -> String {
    for c in run.notebook.cells where c.kind == .markdown {
      for l in c.lines where l.hasPrefix("# ") { return l.dropFirst(2).trimmingCharacters(in: .whitespaces) }
    }
    return (run.notebook.path as NSString).lastPathComponent
  }

  /// A short note for a code cell that did not run, else nil.
  static func note(_ o: CellOutcome) -> String? {
    switch o.status {
    case .skipped: return "skipped: tagged skip"
    case .notRun: return "not run: an earlier cell failed"
    default: return nil
    }
  }

  /// One line: cells, failures and time, for headers and the command's report.
  static func summary(_ run: NotebookRun) -> String {
    let code = run.outcomes.filter { $0.status != .text }.count
    let ran = run.outcomes.filter { $0.executionCount != nil }.count
    var s = "\(code) code cell\(code == 1 ? "" : "s"), \(ran) run"
    if let k = run.failedCell { s += ", cell \(k + 1) failed" }
    let skipped = run.outcomes.filter { $0.status == .skipped }.count
    if skipped > 0 { s += ", \(skipped) skipped" }
    return s + String(format: ", %.2f s", run.seconds)
  }

  /// A fenced code block whose fence is longer than any run of backticks inside.
  static func fence(_ text: String, info: String = "") -> String {
    var longest = 0, run = 0
    for ch in text {
      if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
    }
    let f = String(repeating: "`", count: max(3, longest + 1))
    let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
    return f + info + "\n" + body + "\n" + f + "\n"
  }

  /// The error lines shown under a failed cell.
  static func errorText(_ message: String, _ traceback: [String]) -> String {
    traceback.isEmpty ? message : traceback.joined(separator: "\n")
  }

  /// Bytes of a base64 `image/png` output (nil when not valid base64).
  static func pngBytes(_ base64: String) -> Data? {
    Data(base64Encoded: base64.filter { !$0.isWhitespace })
  }
}
