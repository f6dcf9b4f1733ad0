import Foundation

/// The element-wise unary functions beyond exp/log/sqrt (trigonometry, rounding,
/// reciprocals, accurate logs). They live in ONE table of rows (name, forward,
/// derivative, summary) so that adding an op is one line, and the Lua methods, the
/// `lyra.*` functions, the in-place forms and their help texts are all generated from it.
public struct UnaryMath: Sendable {
  /// The method name (`x:sin()`); the in-place form appends `_`.
  public let name: String
  /// One line for the help text.
  public let summary: String
  let forward: @Sendable (Float) -> Float
  /// df/dx as a function of x (the tape keeps the input). Step functions have 0.
  let derivative: @Sendable (Float) -> Float

  init(_ name: String, _ summary: String, _ forward: @escaping @Sendable (Float) -> Float,
       _ derivative: @escaping @Sendable (Float) -> Float) {
    self.name = name
    self.summary = summary
    self.forward = forward
    self.derivative = derivative
  }

  /// f(x) for one value (what the tensor ops apply per element; also the tests' hook).
  public func callAsFunction(_ x: Float) -> Float { forward(x) }

  /// Every op, in the order the help lists them.
  public static let all: [UnaryMath] = [
    UnaryMath("sin", "Sine (radians).", { Foundation.sin($0) }, { Foundation.cos($0) }),
    UnaryMath("cos", "Cosine (radians).", { Foundation.cos($0) }, { -Foundation.sin($0) }),
    UnaryMath("tan", "Tangent (radians).", { Foundation.tan($0) }, { let t = Foundation.tan($0); return 1 + t * t }),
    UnaryMath("asin", "Arcsine in [-pi/2, pi/2]; NaN outside [-1, 1].", { Foundation.asin($0) }, { 1 / (1 - $0 * $0).squareRoot() }),
    UnaryMath("acos", "Arccosine in [0, pi]; NaN outside [-1, 1].", { Foundation.acos($0) }, { -1 / (1 - $0 * $0).squareRoot() }),
    UnaryMath("atan", "Arctangent in (-pi/2, pi/2).", { Foundation.atan($0) }, { 1 / (1 + $0 * $0) }),
    UnaryMath("sinh", "Hyperbolic sine.", { Foundation.sinh($0) }, { Foundation.cosh($0) }),
    UnaryMath("cosh", "Hyperbolic cosine.", { Foundation.cosh($0) }, { Foundation.sinh($0) }),
    UnaryMath("floor", "Largest integer <= x; zero gradient.", { $0.rounded(.down) }, { _ in 0 }),
    UnaryMath("ceil", "Smallest integer >= x; zero gradient.", { $0.rounded(.up) }, { _ in 0 }),
    UnaryMath("round", "Nearest integer, halves to even (as PyTorch: 2.5 -> 2); zero gradient.", { $0.rounded(.toNearestOrEven) }, { _ in 0 }),
    UnaryMath("trunc", "Integer part, toward zero; zero gradient.", { $0.rounded(.towardZero) }, { _ in 0 }),
    UnaryMath("reciprocal", "1 / x.", { 1 / $0 }, { -1 / ($0 * $0) }),
    UnaryMath("rsqrt", "1 / sqrt(x).", { 1 / $0.squareRoot() }, { -0.5 / ($0 * $0.squareRoot()) }),
    UnaryMath("log1p", "log(1 + x), accurate for small x.", { Foundation.log1p($0) }, { 1 / (1 + $0) }),
    UnaryMath("expm1", "exp(x) - 1, accurate for small x.", { Foundation.expm1($0) }, { Foundation.exp($0) }),
    UnaryMath("log2", "Base-2 logarithm.", { Foundation.log2($0) }, { 1 / ($0 * Float(M_LN2)) }),
    UnaryMath("log10", "Base-10 logarithm.", { Foundation.log10($0) }, { 1 / ($0 * Float(M_LN10)) }),
  ]

  /// The row called `name`, or nil.
  public static func named(_ name: String) -> UnaryMath? { all.first { $0.name == name } }
}

extension Tensor {
  /// `op` element-wise, on the tape with gradient g * op'(x).
  public func apply(_ op: UnaryMath) -> Tensor {
    unaryFromInput(op.name, FClosure(f: op.forward), FChainRule(derivative: op.derivative))
  }

  /// `op` element-wise in place (not recorded; refused on a tensor that requires grad
  /// outside `Tensor.noGrad`, as every in-place update).
  @discardableResult public func apply_(_ op: UnaryMath) -> Tensor {
    checkInPlace("Tensor.\(op.name)_")
    applyUnary_(FClosure(f: op.forward))
    return self
  }
}

/// A table row's forward as a kernel function.
struct FClosure: UnaryFn {
  let f: (Float) -> Float
  @inline(__always) func callAsFunction(_ x: Float) -> Float { f(x) }
}

/// (x, g) -> g * f'(x).
struct FChainRule: BinaryFn {
  let derivative: (Float) -> Float
  @inline(__always) func callAsFunction(_ x: Float, _ g: Float) -> Float { g * derivative(x) }
}
