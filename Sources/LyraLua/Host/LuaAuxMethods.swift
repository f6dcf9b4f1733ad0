/// Method makers of the host's auxiliary library, for the many methods that only compute
/// one value and return it (`s:get_lr()`, `loader:size()`, `space:keys()`).
///
/// Why: each such method spelled out the same push-and-return-1 body; here the body is a
/// Swift expression and the push is written once. The expression throws on bad input like
/// any binding (the trampoline raises after this frame returned).
extension LuaMethod {
  static func returning<T: LuaPushable>(_ name: String, help: String, _ get: @escaping (LuaCall) throws -> T) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      try get(call).push(onto: call.stack)
      return 1
    }
  }
}

/// A Swift value with one Lua form, pushed by `LuaMethod.returning`.
protocol LuaPushable {
  func push(onto s: LuaStack)
}

extension Int: LuaPushable { func push(onto s: LuaStack) { s.push(self) } }
extension Double: LuaPushable { func push(onto s: LuaStack) { s.push(self) } }
extension Bool: LuaPushable { func push(onto s: LuaStack) { s.push(self) } }
extension String: LuaPushable { func push(onto s: LuaStack) { s.push(self) } }
extension Array: LuaPushable where Element == String { func push(onto s: LuaStack) { s.push(self) } }
