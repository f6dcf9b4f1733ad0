import LyraBase

/// The JSON ⇄ Lua bridge of the host's auxiliary library: how configs, descriptions and
/// records cross the boundary as plain data (`lyra.json`, `lyra.pipeline.run{...}`, model
/// descriptions, search configs).
///
/// A table with only `1..n` keys is an array; any other key makes it an object, whose
/// array part keeps its items under the keys "1", "2", ... . Functions, userdata and
/// threads have no JSON form and become null. Integral numbers come back as Lua integers.
enum LuaJSON {
  static func json(_ v: LuaValue) -> JSON {
    switch v {
    case .nil, .opaque: return .null
    case .boolean(let b): return .bool(b)
    case .integer(let i): return JSON(i)
    case .number(let d): return .number(d)
    case .string(let s): return .string(s)
    case .table(let a, let f):
      if f.isEmpty { return .array(a.map(json)) }
      var o = f.mapValues(json)
      for (k, x) in a.enumerated() { o[String(k + 1)] = json(x) }
      return .object(o)
    }
  }

  static func lua(_ j: JSON) -> LuaValue {
    switch j {
    case .null: return .nil
    case .bool(let b): return .boolean(b)
    case .number(let d): return d == d.rounded() && abs(d) < 9e15 ? .integer(Int(d)) : .number(d)
    case .string(let s): return .string(s)
    case .array(let a): return .table(array: a.map(lua), fields: [:])
    case .object, .orderedObject: return .table(array: [], fields: (j.object ?? [:]).mapValues(lua))
    }
  }
}
