/// A DAG edge: `child` is active only while `parent` is active and its value satisfies
/// `rule` (VEGA's `condition.py`: EQUAL, NOT_EQUAL, IN). Several conditions on one
/// child must all hold.
public struct Condition: Sendable {
  public let child: String
  public let parent: String
  public let rule: Rule

  public enum Rule: Sendable {
    /// VEGA EQUAL (`range: [v]`).
    case equal(ParamValue)
    /// VEGA NOT_EQUAL (`range: [v]`).
    case notEqual(ParamValue)
    /// VEGA IN on a categorical parent (`range: [a, b, ...]`).
    case oneOf([ParamValue])
    /// VEGA IN on a numeric parent: `range: [low, high]`, inclusive.
    case range(Double, Double)
  }

  public init(child: String, parent: String, rule: Rule) {
    self.child = child
    self.parent = parent
    self.rule = rule
  }

  /// Whether the parent's value switches the child on.
  public func holds(for parentValue: ParamValue) -> Bool {
    switch rule {
    case .equal(let v): return parentValue.matches(v)
    case .notEqual(let v): return !parentValue.matches(v)
    case .oneOf(let vs): return vs.contains { parentValue.matches($0) }
    case .range(let lo, let hi):
      guard let x = parentValue.number else { return false }
      return x >= lo && x <= hi
    }
  }

  /// The values the rule names (used to check them against the parent's range).
  var namedValues: [ParamValue] {
    switch rule {
    case .equal(let v), .notEqual(let v): return [v]
    case .oneOf(let vs): return vs
    case .range: return []
    }
  }
}
