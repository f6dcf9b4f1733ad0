import LyraSpace

/// Lua values ⇄ hyperparameter values and configs (the JSON half of `LuaJSON` is the
/// host's, Host/LuaAuxJSON.swift).
extension LuaJSON {
  static func lua(_ v: ParamValue) -> LuaValue {
    switch v {
    case .int(let i): return .integer(i)
    case .double(let d): return .number(d)
    case .string(let s): return .string(s)
    case .bool(let b): return .boolean(b)
    case .list(let l): return .table(array: l.map(lua), fields: [:])
    }
  }

  static func param(_ v: LuaValue) -> ParamValue? {
    switch v {
    case .integer(let i): return .int(i)
    case .number(let d): return .double(d)
    case .string(let s): return .string(s)
    case .boolean(let b): return .bool(b)
    case .table(let a, let f) where f.isEmpty:
      var out: [ParamValue] = []
      for x in a { guard let p = param(x) else { return nil }; out.append(p) }
      return .list(out)
    default: return nil
    }
  }

  /// A config as a Lua table keyed by hyperparameter key.
  static func lua(_ c: Config) -> LuaValue { .table(array: [], fields: c.mapValues(lua)) }

  /// A Lua table keyed by hyperparameter key as a config.
  static func config(_ v: LuaValue) throws -> Config {
    guard case .table(let a, let f) = v, a.isEmpty else { throw LuaFailure("a config must be a table keyed by hyperparameter key") }
    var c: Config = [:]
    for (k, x) in f {
      guard let p = param(x) else { throw LuaFailure("value of '\(k)' is not a number, string, boolean or list") }
      c[k] = p
    }
    return c
  }

  /// Pushes `true`, or `false, message` when `check` throws: the Lua convention of
  /// validators (`s:validate(config)`, `codec:validate(config)`). Returns the result count.
  static func pushVerdict(_ call: LuaCall, _ check: () throws -> Void) -> Int {
    do {
      try check()
      call.push(true)
      return 1
    } catch {
      call.push(false)
      call.push("\(error)")
      return 2
    }
  }
}
