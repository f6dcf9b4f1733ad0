import CLua
import Foundation
import LyraBase

/// The core of the `lyra` namespace that every later binding builds on:
/// version, clocks, help records and interrupt polling.
enum CoreLib {
  static let version = "0.1.0"

  static func open(_ state: LuaState) {
    state.register("lyra.clock", help: """
      lyra.clock() -> seconds
      Monotonic wall-clock time in seconds (for timing; unaffected by clock changes).
      """) { call in
      call.push(Double(DispatchTime.now().uptimeNanoseconds) / 1e9)
      return 1
    }

    state.register("lyra.doc", help: """
      lyra.doc(value) -> help, name
      The help text and full name recorded for a function or object, or nil.
      """) { call in
      guard call.count >= 1 else { throw call.expected(1, "value") }
      call.stack.setTop(1)
      if let h = call.state.help(1) { call.push(h) } else { call.pushNil() }
      call.stack.rawGet(lyra_registryindex(), LuaState.namesKey)
      call.stack.pushValue(1)
      lua_rawget(call.L, -2) // [v, help, names, name]
      lyra_remove(call.L, -2)
      return 2
    }

    state.register("lyra.setdoc", help: """
      lyra.setdoc(value, name, help) -> value
      Records help text for a function or table written in Lua, so `? name` shows it.
      """) { call in
      let name = try call.string(2)
      let help = try call.string(3)
      if call.stack.isNil(1) { throw call.expected(1, "value") }
      call.state.setHelp(1, name: name, help: help)
      call.stack.setTop(1)
      return 1
    }

    state.register("lyra.interrupted", help: """
      lyra.interrupted() -> boolean
      True when Ctrl-C was pressed during the current command (long Lua loops in
      C-heavy code may poll it; Lua code is stopped automatically).
      """) { call in
      call.push(Interruption.isRequested)
      return 1
    }

    state.register("lyra.sleep", help: """
      lyra.sleep(seconds)
      Waits; Ctrl-C ends the wait with an "interrupted!" error.
      """) { call in
      let seconds = try call.number(1)
      let end = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1e9)
      while DispatchTime.now().uptimeNanoseconds < end {
        try Interruption.check() // a native loop polls the Ctrl-C flag
        usleep(10_000)
      }
      return 0
    }

    state.register("lyra.memory", help: """
      lyra.memory() -> kilobytes
      Memory used by the Lua interpreter, in KiB.
      """) { call in
      call.push(call.state.memoryKB)
      return 1
    }

    let s = state.stack
    s.pushTable(path: "lyra")
    s.push(version)
    s.rawSet(-2, "version")
    s.pop()
  }
}
