import LyraNotebook

/// The whole notebook compiled as **one Lua chunk**, so that `local`s of one cell are
/// seen by the next exactly as in a plain script.
///
/// Why one chunk: running cells as separate chunks loses their top-level `local`s
/// (trepl#28); rewriting `local x = ...` into table fields would need a Lua parser and
/// still change semantics (`<close>`, `<const>`, shadowing, upvalues captured by
/// closures). With one chunk every local, upvalue and attribute means what it means in
/// `lyra file.lua`. The price: a chunk holds at most 200 locals (Lua's limit), a
/// `<close>` variable is closed at the end of the notebook, and the first error stops
/// the run (later cells are "not run"), as in a script.
///
/// How: each line keeps its number. A run cell's marker line becomes `__nb.cell(k);`
/// (the runner's cue that cell k starts); markdown, raw, skipped and failed cells become
/// blank lines. A cell ending in an expression (the REPL's rule, see `trailing`) gets
/// `__nb.result(` before the expression and `);` on the line after it, so its value is
/// shown like the REPL shows it; an expression ended by `;` (silenced in the REPL) is
/// wrapped as `do local _ = ... end;` instead. `__nb` is a local bound on line 1 to the
/// runner's hooks.
struct NotebookProgram {
  /// How a cell's last lines are wrapped so that their value is shown, or dropped.
  enum Tail: Equatable {
    /// `__nb.result(<expr>\n);`: the value is shown like the REPL shows it.
    case show
    /// `do local _ = <expr>;\n end;`: an expression ended by `;` (the REPL's way to
    /// silence a value) runs without showing anything.
    case silent

    var open: String { self == .show ? "__nb.result(" : "do local _ = " }
    var close: String { self == .show ? ");" : "end;" }
  }

  enum Plan: Equatable {
    /// Runs; its last lines from index `from` on are wrapped as `tail` says.
    case run(from: Int?, tail: Tail)
    /// Does not compile: not run, and nothing after it runs.
    case syntaxError(String)
    /// Not code, empty, skipped, or after a cell that does not compile.
    case notIncluded
  }

  /// The chunk's source; line n is the notebook file's line n.
  var chunk: String
  /// One plan per cell of the notebook.
  var plans: [Plan]

  /// The global through which the chunk finds the runner's hooks (read once, on line 1).
  static let hooksGlobal = "__lyra_notebook"

  /// Builds the chunk from the cells before `limit` (all when nil). `compiles(code)` returns
  /// nil when `code` compiles, else Lua's message; `code` is padded with blank lines so the
  /// message names the file's line.
  static func build(_ nb: Notebook, limit: Int? = nil, compiles: (String) -> String?) -> NotebookProgram {
    var plans = [Plan](repeating: .notIncluded, count: nb.cells.count)
    var stopped = false
    for (k, cell) in nb.cells.enumerated() {
      guard !stopped, k < (limit ?? Int.max), cell.kind == .code, !cell.isSkipped, !cell.isEmpty else { continue }
      if let t = trailing(cell, .show, compiles: compiles) {
        plans[k] = .run(from: t, tail: .show)
      } else if let message = compiles(pad(cell.firstLine) + cell.source) {
        if let t = trailing(cell, .silent, compiles: compiles) {
          plans[k] = .run(from: t, tail: .silent)
        } else {
          plans[k] = .syntaxError(message)
          stopped = true
        }
      } else {
        plans[k] = .run(from: nil, tail: .show)
      }
    }
    return NotebookProgram(chunk: assemble(nb, plans), plans: plans)
  }

  /// Newlines that put the next text on file line `line`.
  static func pad(_ line: Int) -> String { String(repeating: "\n", count: max(0, line - 1)) }

  /// The line where the cell's trailing expression starts, if it ends in one: the
  /// shortest tail of lines that compiles inside `tail`'s wrapper while the lines before
  /// it compile as statements. With `.show` a trailing `;` makes the tail fail (the value
  /// is then silenced, as in the REPL). Only the last 100 lines are tried.
  static func trailing(_ cell: NotebookCell, _ tail: Tail, compiles: (String) -> String?) -> Int? {
    let n = cell.lines.count
    for i in stride(from: n - 1, through: max(0, n - 100), by: -1) {
      let t = cell.lines[i].trimmingCharacters(in: .whitespaces)
      if t.isEmpty || t.hasPrefix("--") { continue }
      let text = ([dropReturn(cell.lines[i])] + cell.lines[(i + 1)...]).joined(separator: "\n")
      guard compiles(pad(cell.firstLine + i) + tail.open + text + "\n" + tail.close) == nil else { continue }
      if compiles(pad(cell.firstLine) + cell.lines[..<i].joined(separator: "\n")) == nil { return i }
    }
    return nil
  }

  /// `return x` starting a cell's tail shows x, as `return x` (or `=x`) does in the REPL; the
  /// keyword itself goes, since a `return` would end the whole chunk there.
  static func dropReturn(_ line: String) -> String {
    let lead = line.prefix { $0 == " " || $0 == "\t" }
    let rest = line.dropFirst(lead.count)
    guard rest.hasPrefix("return") else { return line }
    let after = rest.dropFirst(6)
    if let c = after.first, c.isLetter || c.isNumber || c == "_" { return line }
    return String(lead) + String(after)
  }

  static func assemble(_ nb: Notebook, _ plans: [Plan]) -> String {
    let total = nb.cells.map { max($0.firstLine + $0.lines.count, ($0.markerLine ?? 0) + 1) }.max() ?? 1
    var out = [String](repeating: "", count: total + 2) // index = file line
    var prefix = [String](repeating: "", count: total + 2)
    for (k, cell) in nb.cells.enumerated() {
      guard case .run(let from, let tail) = plans[k] else { continue }
      for (j, line) in cell.lines.enumerated() { out[cell.firstLine + j] = line }
      let cue = "__nb.cell(\(k + 1));"
      if let m = cell.markerLine { out[m] = cue } else { prefix[cell.firstLine] += cue + " " }
      if let t = from {
        out[cell.firstLine + t] = tail.open + dropReturn(out[cell.firstLine + t])
        prefix[cell.firstLine + cell.lines.count] = tail.close + prefix[cell.firstLine + cell.lines.count]
      }
    }
    prefix[1] = "local __nb = \(hooksGlobal); " + prefix[1]
    var lines: [String] = []
    for n in 1..<out.count {
      let p = prefix[n]
      lines.append(p.isEmpty ? out[n] : (out[n].isEmpty ? p : p + " " + out[n]))
    }
    while let l = lines.last, l.isEmpty { lines.removeLast() }
    return lines.joined(separator: "\n") + "\n"
  }
}
