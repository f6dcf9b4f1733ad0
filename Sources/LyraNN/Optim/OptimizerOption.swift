/// One value of an optimiser option from a config: a number, a flag or a list (`betas`).
///
/// Literal conformances let Swift callers write `["lr": 0.1, "nesterov": true,
/// "betas": [0.9, 0.99]]`; `init?(any:)` converts what a YAML/JSON/Lua bridge produces.
public enum OptimizerOption: Equatable, Sendable, CustomStringConvertible,
  ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral {
  case number(Double)
  case flag(Bool)
  case numbers([Double])

  public init(floatLiteral v: Double) { self = .number(v) }
  public init(integerLiteral v: Int) { self = .number(Double(v)) }
  public init(booleanLiteral v: Bool) { self = .flag(v) }
  public init(arrayLiteral v: Double...) { self = .numbers(v) }

  /// From Double/Float/Int/Bool or an array of numbers; nil for anything else.
  public init?(any value: Any) {
    switch value {
    case let b as Bool: self = .flag(b)
    case let d as Double: self = .number(d)
    case let f as Float: self = .number(Double(f))
    case let i as Int: self = .number(Double(i))
    case let a as [Any]:
      var out: [Double] = []
      for x in a {
        guard let o = OptimizerOption(any: x), case .number(let d) = o else { return nil }
        out.append(d)
      }
      self = .numbers(out)
    default: return nil
    }
  }

  public var description: String {
    switch self {
    case .number(let d): return "\(d)"
    case .flag(let b): return "\(b)"
    case .numbers(let a): return "\(a)"
    }
  }
}
