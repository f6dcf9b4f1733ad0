import Foundation
import LyraLua

/// One run of the interpreter as lua.c orders it: `-l` modules, `-e` statements,
/// the script, then the REPL if asked for (or if nothing else was given).
enum Session {
  static func fail(_ message: String) -> Int32 {
    FileHandle.standardError.write(Data(("lyra: " + message + "\n").utf8))
    return 1
  }

  static func run(statements: [String], modules: [String], script: String?, arguments: [String], interactive: Bool,
                  sandbox: SandboxOptions? = nil) -> Int32 {
    let host: LyraHost
    do {
      host = try LyraHost()
      if let sandbox { try Sandbox.apply(host, sandbox) }
    } catch { return fail("\(error)") }
    var interpreter = [CommandLine.arguments.first ?? "lyra"]
    for m in modules { interpreter += ["-l", m] }
    for e in statements { interpreter += ["-e", e] }
    host.setScriptArguments(interpreter: interpreter, script: script, arguments: arguments)
    do {
      for m in modules { try host.requireModule(m) }
      for e in statements { try host.runString(e) }
      if let script = script {
        if script == "-" {
          let data = FileHandle.standardInput.readDataToEndOfFile()
          try host.state.load(String(decoding: data, as: UTF8.self), name: "=stdin")
          try host.state.call(nargs: 0, nresults: 0)
        } else {
          try host.runFile(script, arguments: arguments)
        }
      }
    } catch {
      return fail("\(error)")
    }
    let wantsRepl = interactive || (script == nil && statements.isEmpty)
    guard wantsRepl else { return 0 }
    let tty = isatty(0) != 0 && isatty(1) != 0
    let env = ProcessInfo.processInfo.environment
    let colour = tty && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    _ = try? host.state.execute("if lyra.pretty_options then lyra.pretty_options.color = ... end", args: [.boolean(colour)])
    let editor: LineEditor = tty
      ? ReadlineEditor(historyPath: sandbox == nil ? ReadlineEditor.defaultHistoryPath() : nil, completer: Completion.readlineCompleter)
      : PlainEditor()
    let repl = Repl(host: host, editor: editor, interactive: tty)
    repl.run()
    return repl.failures > 0 && !tty ? 1 : 0
  }
}
