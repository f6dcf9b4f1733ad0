import LyraBase
import LyraPipeline

/// The Lua host of the ScriptRunner trainer (LyraPipeline's `ScriptRunner` says what a
/// script gets and reports): each trial runs in a fresh `LyraHost`, so trials share no
/// globals and a script behaves the same in the pipeline process and in a `lyra worker`.
/// Installed by `LyraLua.bootstrap()`.
///
/// The script is loaded with `LuaState.load(file:)` (source only, no bytecode) and called
/// under protection: a Lua error comes back as a Swift error after Lua has unwound, and
/// becomes the trial's failure message (without the traceback); Ctrl-C stays Ctrl-C.
enum ScriptRunnerLua {
  /// Adds `trial.update` and returns the function that calls the script with the trial.
  static let prelude = """
    local trial = ...
    local reported
    function trial.update(performance)
      if type(performance) ~= 'table' then
        error('trial.update expects a table of metrics, e.g. trial.update{accuracy = 0.9}', 2)
      end
      if type(performance.performance) == 'table' then performance = performance.performance end
      reported = performance
    end
    return function(script)
      local ret = script(trial)
      if ret ~= nil then return ret end
      return reported
    end
    """

  static func install() {
    ScriptRunner.install { script, trial in try run(script: script, trial: trial) }
  }

  static func run(script: String, trial: JSON) throws -> [String: Double] {
    let host: LyraHost
    do { host = try LyraHost() } catch { throw ScriptRunner.ScriptFailure("cannot start Lua for \(script): \(error)") }
    let state = host.state
    defer { state.close() }
    let s = state.stack
    let result: LuaValue
    do {
      try state.load(prelude, name: "=(ScriptRunner)")
      s.push(LuaJSON.lua(trial))
      try state.call(nargs: 1, nresults: 1)
      try state.load(file: script)
      try state.call(nargs: 1, nresults: 1)
      result = s.value(-1)
    } catch let e as LuaError {
      if Interruption.isRequested { throw Interrupted() }
      throw ScriptRunner.ScriptFailure(e.messageWithoutTraceback)
    }
    guard case .table(let array, let fields) = result, array.isEmpty, !fields.isEmpty else {
      throw ScriptRunner.ScriptFailure("\(script) reported no metrics (got \(describe(result))): return a table such as " +
                                       "{accuracy = acc}, or call trial.update{accuracy = acc}")
    }
    var metrics: [String: Double] = [:]
    for (k, v) in fields {
      switch v {
      case .integer(let i): metrics[k] = Double(i)
      case .number(let d): metrics[k] = d
      default: throw ScriptRunner.ScriptFailure("\(script): metric '\(k)' must be a number, got \(describe(v))")
      }
    }
    return metrics
  }

  static func describe(_ v: LuaValue) -> String {
    switch v {
    case .nil: return "nil"
    case .boolean(let b): return "\(b)"
    case .integer(let i): return "\(i)"
    case .number(let d): return "\(d)"
    case .string(let t): return "'\(t)'"
    case .table: return "a table that is not {name = number, ...}"
    case .opaque: return "a value that is not a table"
    }
  }
}
