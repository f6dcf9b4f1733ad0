import CLua
import CRuntime
import LyraBase
import Foundation

/// The interactive loop: read (with `<eof>` continuation), compile (`return` first),
/// run under protection with Ctrl-C armed, print through `lyra.repl.show`.
///
/// Rules, after lua.c and trepl: a leading `=` means `return`; an expression's values
/// are printed unless the line ends with `;`; `_LAST` holds the first value; `? name`
/// shows help and `?` alone a cheat-sheet; a statement spanning lines is one history
/// entry; a real syntax error is reported at once; Ctrl-C clears the line at the
/// prompt and stops running code; Ctrl-D exits.
///
/// Input (see `stdlib/lyra/repl_input.lua`): a bracketed paste is one entry, compiled once
/// (a trailing expression is shown);
/// top-level `local`s live on in `lyra.repl.env()`; a line starting with `:`, `.`, an
/// operator, `and` or `or` that cannot stand alone continues the previous
/// `[local] name = E` or shown expression when E is a name, field, index or call.
public final class Repl {
  public let host: LyraHost
  let editor: LineEditor
  let interactive: Bool
  /// Number of entries whose execution failed (the exit status of piped sessions).
  public private(set) var failures = 0

  public init(host: LyraHost, editor: LineEditor, interactive: Bool) {
    self.host = host
    self.editor = editor
    self.interactive = interactive
  }

  var state: LuaState { host.state }

  /// Runs until end of input.
  public func run() {
    lyra_sigint_install()
    defer { lyra_sigint_uninstall() }
    Completion.state = state
    if interactive { banner() }
    while true {
      lyra_interrupt_drain()
      lyra_interrupt_clear()
      guard let entry = readEntry() else { break }
      editor.addHistory(entry)
      evaluate(entry)
    }
    if interactive { print("") }
  }

  func banner() {
    print("Lyra \(CoreLib.version) on \(LUA_VERSION_MAJOR).\(LUA_VERSION_MINOR) - ? for help, Ctrl-D to quit")
  }

  func prompt(continuation: Bool) -> String {
    guard interactive else { return "" }
    let name = continuation ? "_PROMPT2" : "_PROMPT"
    if let g = try? state.execute("return \(name)"), case .string(let s)? = g.first { return s }
    return continuation ? ">> " : "> "
  }

  /// Reads one complete entry (possibly several lines); nil at end of input.
  func readEntry() -> String? {
    while true {
      switch editor.read(prompt: prompt(continuation: false)) {
      case .endOfInput: return nil
      case .interrupted: continue
      case .line(let first):
        if first.trimmingCharacters(in: .whitespaces).isEmpty { continue }
        var buffer = first
        while needsMore(buffer) {
          switch editor.read(prompt: prompt(continuation: true)) {
          case .endOfInput: return buffer // let the compiler report the incomplete statement
          case .interrupted: buffer = ""
          case .line(let more): buffer += "\n" + more
          }
          if buffer.isEmpty { break }
        }
        if buffer.isEmpty { continue }
        return buffer
      }
    }
  }

  /// True when `code` fails to compile only because it ends too early (lua.c's `<eof>` rule).
  func needsMore(_ code: String) -> Bool {
    let t = code.trimmingCharacters(in: .whitespaces)
    if t.hasPrefix("?") { return false }
    let body = t.hasPrefix("=") ? "return " + t.dropFirst() : code
    if compiles("return " + body + ";") || compiles(body) { return false }
    do {
      try state.load(body, name: "=stdin")
      state.stack.pop()
      return false
    } catch let e as LuaError {
      return e.message.hasSuffix("<eof>")
    } catch { return false }
  }

  func compiles(_ code: String) -> Bool {
    do {
      try state.load(code, name: "=stdin")
      state.stack.pop()
      return true
    } catch { return false }
  }

  /// A trailing `;` hides the entry's values; `lyra.repl.silent` (stdlib/lyra/repl_input.lua)
  /// looks past a trailing comment (`sq(12);  -- note`), with the plain suffix test as the
  /// fallback when the stdlib is missing.
  func endsInSemicolon(_ entry: String) -> Bool {
    let probe = "local r = lyra and lyra.repl; if r and r.silent then return r.silent(...) end"
    if let r = try? state.execute(probe, name: "=(repl)", args: [.string(entry)]), let first = r.first, first != .nil {
      return first == .boolean(true)
    }
    return entry.hasSuffix(";")
  }

  /// Compiles and runs one entry, printing its values or its error.
  public func evaluate(_ entry: String) {
    let trimmed = entry.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.hasPrefix("?") {
      let topic = trimmed.dropFirst().trimmingCharacters(in: .whitespaces)
      runShow(code: "lyra.help(\(topic.isEmpty ? "" : quoteOrExpression(String(topic))))", silent: true)
      return
    }
    let silent = endsInSemicolon(trimmed)
    let body = trimmed.hasPrefix("=") ? "return " + trimmed.dropFirst() : entry
    runShow(code: body, silent: silent)
  }

  /// `? lyra.zeros` looks the value up; a bare word that is not an expression is a topic name.
  func quoteOrExpression(_ s: String) -> String {
    "(function() local ok, v = pcall(load('return ' .. \(luaQuote(s)), '=?', 't', _ENV)); if ok and v ~= nil then return v end return \(luaQuote(s)) end)()"
  }

  /// Leaves the entry's function on the stack. `lyra.repl.compile` (stdlib/lyra/repl_input.lua)
  /// keeps top-level locals and joins continuation lines; without it (no stdlib) the entry
  /// is loaded as `return code`, else as `code`, as lua.c does.
  func compile(_ code: String) throws {
    let s = state.stack
    let base = s.top
    s.pushGlobals()
    if s.rawGet(-1, "lyra") == .table, s.rawGet(-1, "repl") == .table, s.rawGet(-1, "compile") == .function {
      lyra_remove(state.L, -2)
      lyra_remove(state.L, -2)
      lyra_remove(state.L, -2)
      s.push(code)
      try state.call(nargs: 1, nresults: 2)
      if s.isNil(-2) {
        let message = s.toString(-1) ?? "stdin: cannot compile the entry"
        s.setTop(base)
        throw LuaError(.syntax, message)
      }
      s.pop()
      return
    }
    s.setTop(base)
    do {
      try state.load("return " + code + (code.hasSuffix(";") ? "" : ";"), name: "=stdin")
    } catch {
      try state.load(code, name: "=stdin")
    }
  }

  func runShow(code: String, silent: Bool) {
    let s = state.stack
    let base = s.top
    defer { s.setTop(base) }
    do {
      try compile(code)
      let t0 = DispatchTime.now().uptimeNanoseconds
      let n = try state.call(nargs: 0)
      let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
      if n > 0 {
        s.pushGlobals()
        s.pushValue(base + 1)
        s.rawSet(-2, "_LAST")
        s.pop()
      }
      if !silent && n > 0 { show(first: base + 1, count: n) }
      // Tells the compiler the entry ran, so that a continuation line may extend it.
      _ = try? state.execute("local r = lyra and lyra.repl; if r and r.ran then r.ran(...) end",
                             name: "=(repl)", args: [.integer(Int(n))])
      if let timing = try? state.execute("return lyra.repl and lyra.repl.timing"), timing.first == .boolean(true) {
        print(String(format: "[%.4fs]", dt))
      }
    } catch let e as LuaError {
      failures += 1
      reportError(e)
    } catch {
      failures += 1
      reportError(LuaError("\(error)"))
    }
    fflush(stdout)
  }

  /// Prints values through `lyra.repl.show` (the pretty-printer), or `tostring` without it.
  func show(first: Int32, count: Int32) {
    let s = state.stack
    s.pushGlobals()
    s.rawGet(-1, "lyra")
    var ok = false
    if s.type(-1) == .table, s.rawGet(-1, "repl") == .table, s.rawGet(-1, "show") == .function {
      lyra_remove(state.L, -2)
      lyra_remove(state.L, -2)
      lyra_remove(state.L, -2)
      for k in 0..<count { s.pushValue(first + k) }
      do {
        try state.call(nargs: count, nresults: 0)
        ok = true
      } catch let e as LuaError { reportError(e) } catch {}
    }
    if !ok {
      print((0..<count).map { s.describe(first + $0) }.joined(separator: "\t"))
    }
  }

  func reportError(_ e: LuaError) {
    // The REPL's own frame ("[C]: in ?") at the bottom of the traceback is noise.
    var lines = e.message.split(separator: "\n", omittingEmptySubsequences: false)
    while lines.count > 2, let last = lines.last, last.trimmingCharacters(in: .whitespaces) == "[C]: in ?" {
      lines.removeLast()
    }
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
  }
}

/// A Lua string literal for `s` (the scalar loop is LyraBase's `TextEscaping`).
func luaQuote(_ s: String) -> String {
  "\"" + TextEscaping.replacingScalars(s) { u in
    switch u {
    case "\"": return "\\\""
    case "\\": return "\\\\"
    case "\n": return "\\n"
    case "\r": return "\\r"
    case "\0": return "\\0"
    default: return nil
    }
  } + "\""
}
