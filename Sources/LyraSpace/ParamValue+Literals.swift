/// Literals, so spaces and configs read as they do in YAML: `["SGD", "Adam"]`, `[1e-5, 0.1]`.
extension ParamValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
  public init(integerLiteral v: Int) { self = .int(v) }
  public init(floatLiteral v: Double) { self = .double(v) }
  public init(stringLiteral v: String) { self = .string(v) }
  public init(booleanLiteral v: Bool) { self = .bool(v) }
  public init(arrayLiteral elements: ParamValue...) { self = .list(elements) }
}
