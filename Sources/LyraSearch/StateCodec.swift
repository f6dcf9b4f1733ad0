import LyraBase
import LyraSpace

/// A saved search state that cannot be restored (wrong algorithm or settings, or a
/// damaged file); the message says which part.
public struct SearchStateError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Lossless JSON for the pieces of a search state.
///
/// Why not plain numbers everywhere: JSON has no NaN or infinity (and Foundation's
/// encoder refuses them), whole doubles come back as ints through `ParamValue(json:)`,
/// and a UInt64 seed does not fit a double. Exact resume needs all three to round-trip.
public enum StateCodec {
  public static func double(_ d: Double) -> JSON {
    if d.isNaN { return .string("nan") }
    if d.isInfinite { return .string(d > 0 ? "inf" : "-inf") }
    if d == 0 && d.sign == .minus { return .string("-0") }
    return .number(d)
  }

  public static func double(_ j: JSON?) throws -> Double {
    switch j {
    case .number(let d)?: return d
    case .string("nan")?: return .nan
    case .string("inf")?: return .infinity
    case .string("-inf")?: return -.infinity
    case .string("-0")?: return -0.0
    default: throw SearchStateError("expected a number, got \(j?.text ?? "nothing")")
    }
  }

  public static func optionalDouble(_ d: Double?) -> JSON { d.map(double) ?? .null }
  public static func optionalDouble(_ j: JSON?) throws -> Double? {
    if j == nil || j == .null { return nil }
    return try double(j)
  }

  public static func optionalInt(_ i: Int?) -> JSON { i.map { JSON($0) } ?? .null }
  public static func optionalInt(_ j: JSON?) throws -> Int? {
    if j == nil || j == .null { return nil }
    return try int(j)
  }

  public static func int(_ j: JSON?) throws -> Int {
    guard let i = j?.int else { throw SearchStateError("expected an integer, got \(j?.text ?? "nothing")") }
    return i
  }

  public static func uint64(_ u: UInt64) -> JSON { .string(String(u)) }
  public static func uint64(_ j: JSON?) throws -> UInt64 {
    guard let s = j?.string, let u = UInt64(s) else { throw SearchStateError("expected a UInt64 string, got \(j?.text ?? "nothing")") }
    return u
  }

  /// A value with its type tag: {"i": 3}, {"d": 0.5}, {"s": "relu"}, {"b": true}, {"l": [...]}.
  public static func value(_ v: ParamValue) -> JSON {
    switch v {
    case .int(let i): return .object(["i": JSON(i)])
    case .double(let d): return .object(["d": double(d)])
    case .string(let s): return .object(["s": .string(s)])
    case .bool(let b): return .object(["b": .bool(b)])
    case .list(let l): return .object(["l": .array(l.map(value))])
    }
  }

  public static func value(_ j: JSON) throws -> ParamValue {
    guard let o = j.object, o.count == 1, let (tag, x) = o.first else { throw SearchStateError("bad value \(j.text)") }
    switch tag {
    case "i": return .int(try int(x))
    case "d": return .double(try double(x))
    case "s": guard let s = x.string else { break }; return .string(s)
    case "b": guard let b = x.bool else { break }; return .bool(b)
    case "l": guard let a = x.array else { break }; return .list(try a.map(value))
    default: break
    }
    throw SearchStateError("bad value \(j.text)")
  }

  public static func config(_ c: Config) -> JSON { .object(c.mapValues(value)) }
  public static func config(_ j: JSON?) throws -> Config {
    guard let o = j?.object else { throw SearchStateError("expected a config object") }
    return try o.mapValues(value)
  }

  public static func trial(_ t: Trial) -> JSON {
    .object([
      "id": JSON(t.id), "config": config(t.config), "budget": optionalDouble(t.budget),
      "rung": optionalInt(t.rung), "bracket": optionalInt(t.bracket), "resume_from": optionalInt(t.resumeFrom),
    ])
  }

  public static func trial(_ j: JSON) throws -> Trial {
    Trial(id: try int(j["id"]), config: try config(j["config"]), budget: try optionalDouble(j["budget"]),
          rung: try optionalInt(j["rung"]), bracket: try optionalInt(j["bracket"]), resumeFrom: try optionalInt(j["resume_from"]))
  }

  public static func result(_ r: TrialResult) -> JSON {
    .object(["status": .string(r.status.rawValue), "metrics": .object(r.metrics.mapValues(double))])
  }

  public static func result(_ j: JSON?) throws -> TrialResult {
    guard let s = j?["status"]?.string, let status = TrialResult.Status(rawValue: s), let m = j?["metrics"]?.object else {
      throw SearchStateError("bad result \(j?.text ?? "nothing")")
    }
    return TrialResult(try m.mapValues { try double($0) }, status: status)
  }
}
