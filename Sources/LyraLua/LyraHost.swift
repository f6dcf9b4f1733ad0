import CLua
import Foundation
import LyraPipeline

/// A Lua state with all of Lyra loaded: the native bindings, then `stdlib/lyra`.
/// This is what the `lyra` command, notebooks and tests start from.
public final class LyraHost {
  public let state: LuaState

  /// Creates the interpreter. `loadStdlib: false` gives the bare bindings (used by
  /// tests of the host itself).
  public init(loadStdlib: Bool = true) throws {
    state = try LuaState()
    LyraLua.bootstrap() // e.g. lyra.nn.load of a ResNet/DNet checkpoint needs the network types
    CoreLib.open(state)
    HelpIndexLib.open(state)
    TensorLib.open(state)
    OptimLib.open(state)
    DataLib.open(state)
    UtilLib.open(state)
    PthLib.open(state)
    JSONLua.open(state)
    NNLib.open(state)
    TensorBench.open(state)
    SpaceLua.open(state)
    SearchLua.open(state)
    PipelineLua.open(state)
    PipelineRegistryLua.open(state)
    PlotLua.open(state)
    if loadStdlib {
      guard state.stdlibPath != nil else {
        throw LuaError(.file, "lyra: cannot find the Lua stdlib (stdlib/lyra/init.lua); set LYRA_PATH to the folder that holds it")
      }
      try state.execute("lyra = require 'lyra'", name: "=(lyra init)")
    }
  }

  /// Sets the global `arg` table as lua.c does: script at 0, its arguments at 1..n,
  /// the interpreter and its options at negative indices.
  public func setScriptArguments(interpreter: [String], script: String?, arguments: [String]) {
    let pre = interpreter + (script.map { [$0] } ?? [])
    let s = state.stack
    state.setGlobal("arg", .table(array: arguments.map { .string($0) }, fields: [:]))
    s.pushGlobals()
    s.rawGet(-1, "arg")
    for (k, a) in pre.reversed().enumerated() {
      s.push(a)
      lua_rawseti(state.L, -2, lua_Integer(-k))
    }
    s.pop(2)
  }

  /// Runs a script file with `arguments` as `...`. Errors carry `file:line` and a traceback.
  public func runFile(_ path: String, arguments: [String] = []) throws {
    let s = state.stack
    let base = s.top
    defer { s.setTop(base) }
    try state.load(file: path)
    for a in arguments { s.push(a) }
    try state.call(nargs: Int32(arguments.count), nresults: 0)
  }

  /// Runs a statement given on the command line (`-e`).
  public func runString(_ code: String, name: String = "=(command line)") throws {
    try state.execute(code, name: name)
  }

  /// `require(name)` and sets the global `name` to its result (`-l`).
  public func requireModule(_ name: String) throws {
    try state.execute("local n = ...; _G[n] = require(n)", name: "=(command line)", args: [.string(name)])
  }
}

/// The Lua state that runs `general.plugins` for commands that start without one
/// (`lyra run cfg.yml`, `lyra worker`): made on the first plugin, then reused.
public enum PluginHost {
  nonisolated(unsafe) private static var host: LyraHost?

  /// Installs the lazy loader (no Lua state is made unless a config names plugins).
  public static func install() {
    Plugins.install { path in
      if host == nil { host = try LyraHost() }
      try host!.runFile(path)
    }
  }
}
