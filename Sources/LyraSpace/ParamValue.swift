import LyraBase

/// A hyperparameter's value in a sampled configuration.
public enum ParamValue: Hashable, Sendable, CustomStringConvertible {
  case int(Int)
  case double(Double)
  case string(String)
  case bool(Bool)
  /// Array types (IntArray, BinaryArray, BINARY_CODE, ...).
  case list([ParamValue])

  public var description: String {
    switch self {
    case .int(let i): return String(i)
    case .double(let d): return String(d)
    case .string(let s): return s
    case .bool(let b): return String(b)
    case .list(let l): return "[" + l.map(\.description).joined(separator: ", ") + "]"
    }
  }

  /// The value as a number, when it is one (ints, doubles, bools as 0/1).
  public var number: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .double(let d): return d
    case .bool(let b): return b ? 1 : 0
    default: return nil
    }
  }

  public var json: JSON {
    switch self {
    case .int(let i): return JSON(i)
    case .double(let d): return .number(d)
    case .string(let s): return .string(s)
    case .bool(let b): return .bool(b)
    case .list(let l): return .array(l.map(\.json))
    }
  }

  /// From JSON (numbers that are whole become ints).
  public init?(json: JSON) {
    switch json {
    case .number(let d): self = d == d.rounded() && abs(d) < 9e15 ? .int(Int(d)) : .double(d)
    case .string(let s): self = .string(s)
    case .bool(let b): self = .bool(b)
    case .array(let a):
      var out: [ParamValue] = []
      for x in a { guard let v = ParamValue(json: x) else { return nil }; out.append(v) }
      self = .list(out)
    default: return nil
    }
  }
}

/// A configuration: flat dotted keys (`trainer.optimizer.params.lr`) to values. Only
/// active hyperparameters appear (a child whose condition is false is absent).
public typealias Config = [String: ParamValue]
