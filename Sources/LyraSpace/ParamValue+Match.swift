extension ParamValue {
  /// Equality as a user means it in a YAML space: `1` and `1.0` are the same number
  /// (JSON does not tell them apart, and `ParamValue(json:)` turns whole doubles into
  /// ints), lists compare element-wise, everything else exactly.
  public func matches(_ other: ParamValue) -> Bool {
    switch (self, other) {
    case (.int, .double), (.double, .int), (.int, .int), (.double, .double):
      return number == other.number
    case (.list(let a), .list(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.matches($1) }
    default:
      return self == other
    }
  }

  /// The value as an Int when it is a whole number.
  var wholeNumber: Int? {
    switch self {
    case .int(let i): return i
    case .double(let d) where d == d.rounded() && abs(d) < 9e15: return Int(d)
    default: return nil
    }
  }

  /// The value as a plain number (not a bool).
  var plainNumber: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .double(let d): return d
    default: return nil
    }
  }
}
