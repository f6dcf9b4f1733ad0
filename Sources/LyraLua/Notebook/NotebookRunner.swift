import CLua
import Foundation
import LyraNotebook

/// Runs a notebook in a `LyraHost`: compiles it as one chunk (NotebookProgram), captures
/// what each cell prints, shows, displays and raises, and times it.
///
/// The chunk calls back through two Swift functions in the `__nb` table: `cell(k)` when
/// cell k starts and `emit(kind, bundle)` for a trailing value or a `display()`.
/// Both only record; the chunk itself runs under `LuaState.call` (a protected call with
/// a traceback handler), so a Lua error never crosses a Swift frame (docs/architecture.md#the-lua-error-rule).
public final class NotebookRunner {
  public let host: LyraHost
  private var outcomes: [CellOutcome] = []
  private var current: Int?
  private var cellStart: UInt64 = 0
  private var executed = 0
  private let capture = OutputCapture()

  public init(host: LyraHost) { self.host = host }

  var state: LuaState { host.state }

  /// Runs every cell in order until the first error. Throws only when the run cannot
  /// start at all (output capture unavailable); errors in cells are in the result.
  public func run(_ nb: Notebook) throws -> NotebookRun {
    let t0 = DispatchTime.now().uptimeNanoseconds
    outcomes = nb.cells.map { c in
      if c.kind != .code || c.isEmpty { return CellOutcome(status: .text) }
      return CellOutcome(status: c.isSkipped ? .skipped : .notRun)
    }
    current = nil
    executed = 0
    let (program, compileError) = compile(nb)
    try installHooks()
    defer { removeHooks() }
    try capture.start()
    var failure: LuaError?
    do {
      let s = state.stack
      let base = s.top
      defer { s.setTop(base) }
      try state.load(program.chunk, name: "@" + nb.path)
      try state.call(nargs: 0, nresults: 0)
    } catch let e as LuaError {
      failure = e
    } catch {
      failure = LuaError("\(error)")
    }
    finishCell()
    capture.stop()
    if let e = failure {
      let k = current ?? program.plans.firstIndex { if case .run = $0 { return true } else { return false } } ?? 0
      if k < outcomes.count {
        outcomes[k].status = .failed
        outcomes[k].outputs.append(NotebookRunner.errorOutput(e))
      }
    } else if let (k, message) = compileError ?? syntaxCell(program) {
      outcomes[k].status = .failed
      outcomes[k].outputs.append(NotebookRunner.errorOutput(LuaError(.syntax, message)))
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    return NotebookRun(notebook: nb, outcomes: outcomes, seconds: seconds, version: CoreLib.version)
  }

  /// The cell a standalone compile rejected, if any.
  func syntaxCell(_ p: NotebookProgram) -> (Int, String)? {
    for (k, plan) in p.plans.enumerated() { if case .syntaxError(let m) = plan { return (k, m) } }
    return nil
  }

  /// Builds the chunk. Cells that compile alone may still fail together (assigning a
  /// `<const>` of an earlier cell, more than 200 locals): then the cell holding the error
  /// line and all after it are left out and that cell reports the error.
  func compile(_ nb: Notebook) -> (NotebookProgram, (Int, String)?) {
    let name = "@" + nb.path
    let compiles: (String) -> String? = { [state] code in
      do {
        try state.load(code, name: name)
        state.stack.pop()
        return nil
      } catch { return (error as? LuaError)?.message ?? "\(error)" }
    }
    var limit: Int?
    var error: (Int, String)?
    while true {
      let p = NotebookProgram.build(nb, limit: limit, compiles: compiles)
      guard let message = compiles(p.chunk) else { return (p, error) }
      let included = p.plans.indices.filter { if case .run = p.plans[$0] { return true } else { return false } }
      let line = NotebookRunner.errorLine(message) ?? 0
      let k = included.last { (nb.cells[$0].markerLine ?? nb.cells[$0].firstLine) <= line } ?? included.first
      guard let k, k < (limit ?? Int.max) else { return (p, error) }
      limit = k
      error = (k, message)
    }
  }

  /// The line number in a Lua message `chunk:LINE: text`.
  static func errorLine(_ message: String) -> Int? {
    guard let r = message.range(of: #":[0-9]+:"#, options: .regularExpression) else { return nil }
    return Int(message[r].dropFirst().dropLast())
  }

  /// The nbformat error output for a Lua error: message and traceback lines, without the
  /// host's own frames.
  static func errorOutput(_ e: LuaError) -> CellOutput {
    let message = e.messageWithoutTraceback
    var trace: [String] = []
    if let r = e.message.range(of: "\nstack traceback:") {
      trace = e.message[r.upperBound...].split(separator: "\n").map { String($0) }
      while let last = trace.last, last.trimmingCharacters(in: .whitespaces) == "[C]: in ?" { trace.removeLast() }
    }
    let name = e.kind == .syntax ? "SyntaxError" : "LuaError"
    return .error(name: name, message: message, traceback: [message] + (trace.isEmpty ? [] : ["stack traceback:"] + trace))
  }

  // MARK: - Hooks called by the chunk

  /// Puts the `__nb` table in the global the chunk reads, and routes `display()` to it.
  func installHooks() throws {
    let s = state.stack
    lua_createtable(state.L, 0, 3)
    state.pushFunction("notebook.cell", help: "__nb.cell(k): cell k starts (called by a compiled notebook).") { [weak self] call in
      self?.startCell(try call.integer(1) - 1)
      return 0
    }
    s.rawSet(-2, "cell")
    state.pushFunction("notebook.emit", help: "__nb.emit(kind, bundle): records a value shown by a cell.") { [weak self] call in
      guard let self else { return 0 }
      let kind = try call.string(1)
      try call.table(2)
      let bundle = MIMEBundle(NotebookRunner.readBundle(call.stack, 2))
      self.flushStreams()
      if let k = self.current { self.outcomes[k].outputs.append(kind == "result" ? .result(bundle) : .display(bundle)) }
      return 0
    }
    s.rawSet(-2, "emit")
    let hooks = s.top
    s.pushGlobals()
    s.pushValue(hooks)
    s.rawSet(-2, NotebookProgram.hooksGlobal)
    s.pop(2)
    try state.execute("""
      local nb = \(NotebookProgram.hooksGlobal)
      local mime = lyra and lyra.mime or function(...)
        local t = {}
        for i = 1, select('#', ...) do t[i] = tostring((select(i, ...))) end
        return {['text/plain'] = table.concat(t, '\\t')}
      end
      nb.result = function(...) if select('#', ...) > 0 then nb.emit('result', mime(...)) end end
      if lyra then lyra._display_sink = function(bundle) nb.emit('display', bundle) end end
      """, name: "=(notebook)")
  }

  func removeHooks() {
    _ = try? state.execute("\(NotebookProgram.hooksGlobal) = nil; if lyra then lyra._display_sink = nil end", name: "=(notebook)")
  }

  /// The string fields of the bundle table at `index`.
  static func readBundle(_ s: LuaStack, _ index: Int32) -> [String: String] {
    var out: [String: String] = [:]
    s.pushNil()
    while lua_next(s.L, index) != 0 {
      if s.type(-2) == .string, let k = s.toString(-2), s.type(-1) == .string || s.type(-1) == .number {
        out[k] = s.toString(-1) ?? s.describe(-1)
      }
      s.pop()
    }
    return out
  }

  func startCell(_ k: Int) {
    finishCell()
    guard k >= 0 && k < outcomes.count else { return }
    current = k
    executed += 1
    outcomes[k].status = .ok
    outcomes[k].executionCount = executed
    cellStart = DispatchTime.now().uptimeNanoseconds
  }

  func finishCell() {
    guard let k = current else { return }
    flushStreams()
    outcomes[k].seconds = Double(DispatchTime.now().uptimeNanoseconds - cellStart) / 1e9
  }

  /// Moves captured text into the current cell, joining it to a stream output of the same name.
  func flushStreams() {
    let (out, err) = capture.drain()
    guard let k = current else { return }
    for (name, text) in [("stdout", out), ("stderr", err)] where !text.isEmpty {
      if case .stream(let n, let prev)? = outcomes[k].outputs.last, n == name {
        outcomes[k].outputs[outcomes[k].outputs.count - 1] = .stream(name: name, text: prev + text)
      } else {
        outcomes[k].outputs.append(.stream(name: name, text: text))
      }
    }
  }
}
