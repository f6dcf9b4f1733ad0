import CLua
import LyraBase

/// The table `x:size()` (and `#x`) returns: a plain array of sizes, so `x:size()[1]`,
/// `#x:size()` and `ipairs` keep working, whose metatable only adds `__tostring`, so
/// `print(x:size())` writes `2x3` as Torch7's LongStorage does instead of `table: 0x...`.
enum SizeTable {
  static let registryKey = "lyra.Size"

  /// Creates the shared metatable in the registry; called once when the tensor library opens.
  static func register(_ state: LuaState) {
    let s = state.stack
    lua_createtable(state.L, 0, 2)
    s.push(registryKey)
    s.rawSet(-2, "__name")
    state.pushFunction("lyra.Size.__tostring", help: "tostring(x:size()): the sizes as 2x3 (() for a 0-d tensor)") { call in
      // Read the table itself: a caller may have edited it; a non-integer entry is shown as is.
      let st = call.stack
      guard st.type(1) == .table else { throw LuaArgumentError(1, "a size table (from x:size())") }
      var parts: [String] = []
      let n = st.rawLength(1)
      if n > 0 {
        for i in 1...n {
          st.rawGet(1, index: i)
          parts.append(st.toInteger(-1).map(String.init) ?? "?")
          st.pop()
        }
      }
      call.push(parts.isEmpty ? ShapeText.format([], .size) : parts.joined(separator: "x"))
      return 1
    }
    s.rawSet(-2, "__tostring")
    s.rawSet(lyra_registryindex(), registryKey)
  }

  /// Pushes `shape` as a size table.
  static func push(_ shape: [Int], _ stack: LuaStack) {
    stack.push(.table(array: shape.map { .integer($0) }, fields: [:]))
    if stack.rawGet(lyra_registryindex(), registryKey) == .table {
      lua_setmetatable(stack.L, -2)
    } else {
      stack.pop()
    }
  }
}
