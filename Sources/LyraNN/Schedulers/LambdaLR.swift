/// `LambdaLR`: lr = base · factor(step), with the factor a function of the step count.
///
/// The function is called with each step once per rate; it must not fail. The Lua binding
/// evaluates a Lua function where errors can be reported (before stepping) and hands this
/// struct the value it got.
public struct LambdaLR: LRScheduler {
  public var factor: (Int) -> Double
  public init(_ factor: @escaping (Int) -> Double) { self.factor = factor }
  public func rate(at step: Int, base: Double) -> Double { base * factor(step) }
}
