import CLua

/// Typed access to one Lua thread's stack. Every method here uses only API calls
/// that cannot raise (or raise only on out-of-memory), so it is safe from Swift.
/// Indices are Lua's: 1 is the bottom, -1 the top.
public struct LuaStack {
  public let L: OpaquePointer

  public init(_ L: OpaquePointer) { self.L = L }

  // MARK: - Shape

  /// Number of values on the stack (`lua_gettop`).
  public var top: Int32 { lua_gettop(L) }
  public func setTop(_ n: Int32) { lua_settop(L, n) }
  public func pop(_ n: Int32 = 1) { lyra_pop(L, n) }
  public func absIndex(_ i: Int32) -> Int32 { lyra_absindex(L, i) }
  /// Makes room for `n` more values; false when Lua cannot grow the stack.
  @discardableResult public func ensure(_ n: Int32) -> Bool { lua_checkstack(L, n) != 0 }

  // MARK: - Reading

  public func type(_ i: Int32) -> LuaType { LuaType(rawValue: lua_type(L, i)) ?? .none }
  public func isNil(_ i: Int32) -> Bool { lyra_isnoneornil(L, i) != 0 }
  /// `lua_typename` plus `__name` for objects: what error messages call the value.
  public func typeName(_ i: Int32) -> String {
    if type(i) == .userdata, lua_getmetatable(L, i) != 0 {
      lua_pushstring(L, "__name")
      lua_rawget(L, -2)
      defer { pop(2) }
      if let s = lyra_tolstring(L, -1, nil), lua_type(L, -1) == LUA_TSTRING { return String(cString: s) }
    }
    return type(i).description
  }

  public func toBool(_ i: Int32) -> Bool { lua_toboolean(L, i) != 0 }

  /// The number at `i` (numbers and numeric strings), or nil.
  public func toNumber(_ i: Int32) -> Double? {
    var ok: Int32 = 0
    let v = lyra_tonumber(L, i, &ok)
    return ok != 0 ? v : nil
  }

  /// The integer at `i` (integers, integral floats and numeric strings), or nil.
  public func toInteger(_ i: Int32) -> Int? {
    var ok: Int32 = 0
    let v = lyra_tointeger(L, i, &ok)
    return ok != 0 ? Int(v) : nil
  }

  /// The string at `i`, without conversion of numbers (so the stack is left alone), or nil.
  public func toString(_ i: Int32) -> String? {
    guard lua_type(L, i) == LUA_TSTRING else { return nil }
    var len = 0
    guard let p = lyra_tolstring(L, i, &len) else { return nil }
    return String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self)
  }

  /// The Swift object held by a Lyra userdata at `i`, cast to `T`; nil for anything else
  /// or for an object already freed.
  public func toObject<T: AnyObject>(_ i: Int32, as: T.Type = T.self) -> T? {
    guard let p = lyra_toobject(L, i) else { return nil }
    let o = Unmanaged<AnyObject>.fromOpaque(p).takeUnretainedValue()
    // Exact class first: a dynamic cast costs more than the small ops it guards.
    if Swift.type(of: o) == T.self { return unsafeDowncast(o, to: T.self) }
    return o as? T
  }

  // MARK: - Pushing

  public func pushNil() { lua_pushnil(L) }
  public func push(_ v: Bool) { lua_pushboolean(L, v ? 1 : 0) }
  public func push(_ v: Int) { lua_pushinteger(L, lua_Integer(v)) }
  public func push(_ v: Double) { lua_pushnumber(L, v) }
  public func push(_ v: Float) { lua_pushnumber(L, Double(v)) }
  public func push(_ v: String) {
    var s = v
    s.withUTF8 { buf in
      _ = buf.withMemoryRebound(to: CChar.self) { lua_pushlstring(L, $0.baseAddress, $0.count) }
    }
  }
  public func pushValue(_ i: Int32) { lua_pushvalue(L, i) }

  /// Pushes a Lua array of strings.
  public func push(_ strings: [String]) {
    lua_createtable(L, Int32(strings.count), 0)
    for (k, s) in strings.enumerated() {
      push(s)
      lua_rawseti(L, -2, lua_Integer(k + 1))
    }
  }

  /// Pushes `object` as a full userdata of class `className` (see `LuaState.defineClass`).
  /// The userdata owns one retain, released by `__gc`, `__close` or `free`.
  /// `nativeBytes` (when the caller knows it) spares a protocol cast per push.
  public func push(object: AnyObject, className: String, nativeBytes: Int? = nil) {
    let p = Unmanaged.passRetained(object).toOpaque()
    lyra_pushobject(L, p, className)
    if let n = nativeBytes ?? (object as? LuaNativeSized)?.nativeByteCount, n > 0 { lyra_report_native_bytes(L, n) }
  }

  /// `push(object:className:nativeBytes:)` for a class name known at compile time: a
  /// `String` argument is copied into a new C string on every push, which cost more than
  /// the push itself for small tensors (issue 15).
  public func push(object: AnyObject, staticClassName: StaticString, nativeBytes: Int) {
    let p = Unmanaged.passRetained(object).toOpaque()
    staticClassName.utf8Start.withMemoryRebound(to: CChar.self, capacity: staticClassName.utf8CodeUnitCount + 1) {
      lyra_pushobject(L, p, $0)
    }
    if nativeBytes > 0 { lyra_report_native_bytes(L, nativeBytes) }
  }

  // MARK: - Raw table access (never calls metamethods)

  /// Pushes `t[key]` without metamethods (t at `i`).
  @discardableResult public func rawGet(_ i: Int32, _ key: String) -> LuaType {
    let t = absIndex(i)
    push(key)
    return LuaType(rawValue: lua_rawget(L, t)) ?? .none
  }

  /// Pushes `t[n]` without metamethods (t at `i`).
  @discardableResult public func rawGet(_ i: Int32, index n: Int) -> LuaType {
    LuaType(rawValue: lua_rawgeti(L, i, lua_Integer(n))) ?? .none
  }

  /// `t[key] = top` without metamethods (t at `i`); pops the value.
  public func rawSet(_ i: Int32, _ key: String) {
    let t = absIndex(i)
    push(key)
    lyra_insert(L, -2)
    lua_rawset(L, t)
  }

  /// `t[n] = top` without metamethods (t at `i`); pops the value.
  public func rawSet(_ i: Int32, index n: Int) { lua_rawseti(L, i, lua_Integer(n)) }

  /// Length of the array part (`#t` without `__len`).
  public func rawLength(_ i: Int32) -> Int { Int(lua_rawlen(L, i)) }

  /// Pushes `t[key]` with metamethods (`__index` may run Lua code, under protection).
  /// On error the message is popped and thrown.
  @discardableResult public func field(_ i: Int32, _ key: String) throws -> LuaType {
    let t = absIndex(i)
    push(key)
    if lyra_pgettable(L, t) != LUA_OK {
      let msg = toString(-1) ?? "error"
      pop()
      throw LuaError(.runtime, msg)
    }
    return type(-1)
  }

  /// Pushes the global table.
  public func pushGlobals() { lyra_pushglobaltable(L) }

  /// Pushes the table at dotted `path` from the globals, creating plain tables on the way.
  public func pushTable(path: String) {
    pushGlobals()
    for part in path.split(separator: ".") {
      let k = String(part)
      if rawGet(-1, k) != .table {
        pop()
        lua_createtable(L, 0, 8)
        pushValue(-1)
        rawSet(-3, k)
      }
      lyra_remove(L, -2)
    }
  }

  /// Converts any value to a display string, calling `__tostring` under protection.
  public func describe(_ i: Int32) -> String {
    let idx = absIndex(i)
    let status = lyra_ptostring(L, idx)
    defer { pop() }
    let s = toString(-1) ?? "?"
    return status == LUA_OK ? s : "(error in __tostring: \(s))"
  }
}

/// Objects that own native memory tell Lua how much, so its collector runs often
/// enough without `collectgarbage()` in user scripts.
public protocol LuaNativeSized: AnyObject {
  var nativeByteCount: Int { get }
}
