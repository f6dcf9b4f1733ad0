import Foundation
import LyraBase

/// `lyra.json`: JSON text ⇄ Lua values, for reading what a pipeline writes
/// (reports.json, desc_/performance_<id>.json) from scripts and notebooks.
enum JSONLua {
  static func open(_ state: LuaState) {
    state.register("lyra.json.decode", help: """
      lyra.json.decode(text) -> value
      Parses JSON text: objects become tables with string keys, arrays 1-based lists, null nil.
      Example: local perf = lyra.json.decode(io.open('performance_3.json'):read('a')).accuracy
      """) { call in
      let text = try call.string(1)
      do { call.stack.push(LuaJSON.lua(try JSON.parse(Data(text.utf8)))) } catch { throw LuaFailure("invalid JSON: \(error)") }
      return 1
    }
    state.register("lyra.json.encode", help: """
      lyra.json.encode(value) -> text
      JSON text of a Lua value (tables with only 1..n keys become arrays); pretty-printed.
      """) { call in
      call.push(LuaJSON.json(call.stack.value(1)).description)
      return 1
    }
    let s = state.stack
    s.pushTable(path: "lyra.json")
    state.setHelp(-1, name: "lyra.json", help: "lyra.json: JSON text to Lua values and back (lyra.json.decode, lyra.json.encode).")
    s.pop()
  }
}
