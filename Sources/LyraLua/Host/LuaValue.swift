import CLua

/// A Lua value copied into Swift: what configs, results and tests exchange.
/// Functions, threads and userdata are kept only by their description.
public indirect enum LuaValue: Equatable, CustomStringConvertible {
  case `nil`
  case boolean(Bool)
  case integer(Int)
  case number(Double)
  case string(String)
  /// A table: its array part (1...n) and its other keys (as strings).
  case table(array: [LuaValue], fields: [String: LuaValue])
  /// A function, userdata or thread, as `tostring` shows it.
  case opaque(String)

  public var description: String {
    switch self {
    case .nil: return "nil"
    case .boolean(let b): return String(b)
    case .integer(let i): return String(i)
    case .number(let d): return String(d)
    case .string(let s): return s
    case .table(let a, let f): return "table(\(a.count) items, \(f.count) fields)"
    case .opaque(let s): return s
    }
  }

  /// The value as a number when it is one.
  public var number: Double? {
    switch self {
    case .integer(let i): return Double(i)
    case .number(let d): return d
    default: return nil
    }
  }
}

extension LuaStack {
  /// Copies the value at `i` (tables up to `depth` levels, cycles cut) into Swift.
  public func value(_ i: Int32, depth: Int = 16) -> LuaValue {
    switch type(i) {
    case .none, .nil: return .nil
    case .boolean: return .boolean(toBool(i))
    case .number:
      if lua_isinteger(L, i) != 0, let v = toInteger(i) { return .integer(v) }
      return .number(toNumber(i) ?? .nan)
    case .string: return .string(toString(i) ?? "")
    case .table:
      guard depth > 0, ensure(3) else { return .opaque("table") }
      let t = absIndex(i)
      var array: [LuaValue] = []
      let n = rawLength(t)
      for k in 0..<n {
        rawGet(t, index: k + 1)
        array.append(value(-1, depth: depth - 1))
        pop()
      }
      var fields: [String: LuaValue] = [:]
      pushNil()
      while lua_next(L, t) != 0 {
        if lua_isinteger(L, -2) != 0, let k = toInteger(-2), k >= 1, k <= n {
          pop()
          continue
        }
        let key: String
        if type(-2) == .string { key = toString(-2) ?? "" } else {
          pushValue(-2)
          key = describe(-1)
          pop()
        }
        fields[key] = value(-1, depth: depth - 1)
        pop()
      }
      return .table(array: array, fields: fields)
    default:
      return .opaque(describe(i))
    }
  }

  /// Pushes a Swift value (the inverse of `value` for plain data).
  public func push(_ v: LuaValue) {
    switch v {
    case .nil, .opaque: pushNil()
    case .boolean(let b): push(b)
    case .integer(let i): push(i)
    case .number(let d): push(d)
    case .string(let s): push(s)
    case .table(let array, let fields):
      ensure(3)
      lua_createtable(L, Int32(array.count), Int32(fields.count))
      for (k, x) in array.enumerated() {
        push(x)
        rawSet(-2, index: k + 1)
      }
      for (k, x) in fields.sorted(by: { $0.key < $1.key }) {
        push(x)
        rawSet(-2, k)
      }
    }
  }
}
