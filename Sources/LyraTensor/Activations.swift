import Foundation

/// Activation functions with gradients (PyTorch definitions).
extension Tensor {
  /// max(x, 0).
  public func relu() -> Tensor { unaryFromInput("relu", FRelu(), FReluGrad()) }
  /// min(max(x, 0), 6).
  public func relu6() -> Tensor { unaryFromInput("relu6", FClamp(lo: 0, hi: 6), FRelu6Grad()) }
  /// x for x > 0, slope·x otherwise.
  public func leakyRelu(_ slope: Float = 0.01) -> Tensor { unaryFromInput("leaky_relu", FLeaky(s: slope), FLeakyGrad(s: slope)) }
  /// 1 / (1 + e^-x), computed without overflow.
  public func sigmoid() -> Tensor { unaryFromOutput("sigmoid", FSigmoid(), FSigmoidGrad()) }
  /// Hyperbolic tangent.
  public func tanh() -> Tensor { unaryFromOutput("tanh", FTanh(), FTanhGrad()) }
  /// x·Φ(x) in the exact erf form (PyTorch's default `approximate='none'`).
  public func gelu() -> Tensor { unaryFromInput("gelu", FGelu(), FGeluGrad()) }
  /// x·sigmoid(x) (swish).
  public func silu() -> Tensor { unaryFromInput("silu", FSilu(), FSiluGrad()) }
  /// x·relu6(x + 3)/6 (MobileNetV3).
  public func hardswish() -> Tensor { unaryFromInput("hardswish", FHardswish(), FHardswishGrad()) }
  /// log(1 + e^x), stable.
  public func softplus() -> Tensor { unaryFromInput("softplus", FSoftplus(), FSoftplusGrad()) }
}

@inline(__always) func sigmoidScalar(_ x: Float) -> Float {
  if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
  let e = Foundation.exp(x)
  return e / (1 + e)
}

struct FRelu: UnaryFn { @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : 0 } }
struct FReluGrad: BinaryFn { @inline(__always) func callAsFunction(_ x: Float, _ g: Float) -> Float { x > 0 ? g : 0 } }
struct FRelu6Grad: BinaryFn { @inline(__always) func callAsFunction(_ x: Float, _ g: Float) -> Float { x > 0 && x < 6 ? g : 0 } }
struct FLeaky: UnaryFn { let s: Float; @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : s * x } }
struct FLeakyGrad: BinaryFn { let s: Float; @inline(__always) func callAsFunction(_ x: Float, _ g: Float) -> Float { x > 0 ? g : s * g } }
struct FSigmoid: UnaryFn { @inline(__always) func callAsFunction(_ x: Float) -> Float { sigmoidScalar(x) } }
struct FSigmoidGrad: BinaryFn { @inline(__always) func callAsFunction(_ y: Float, _ g: Float) -> Float { g * y * (1 - y) } }
struct FTanh: UnaryFn { @inline(__always) func callAsFunction(_ x: Float) -> Float { Foundation.tanh(x) } }
struct FTanhGrad: BinaryFn { @inline(__always) func callAsFunction(_ y: Float, _ g: Float) -> Float { g * (1 - y * y) } }
struct FGelu: UnaryFn {
  @inline(__always) func callAsFunction(_ x: Float) -> Float { 0.5 * x * (1 + Foundation.erf(x * 0.70710678118654752)) }
}
struct FGeluGrad: BinaryFn {
  @inline(__always) func callAsFunction(_ x: Float, _ g: Float) -> Float {
    let cdf = 0.5 * (1 + Foundation.erf(x * 0.70710678118654752))
    let pdf = Foundation.exp(-0.5 * x * x) * 0.39894228040143268
    return g * (cdf + x * pdf)
  }
}
struct FSilu: UnaryFn { @inline(__always) func callAsFunction(_ x: Float) -> Float { x * sigmoidScalar(x) } }
struct FSiluGrad: BinaryFn {
  @inline(__always) func callAsFunction(_ x: Float, _ g: Float) -> Float {
    let s = sigmoidScalar(x)
    return g * s * (1 + x * (1 - s))
  }
}
struct FHardswish: UnaryFn {
  @inline(__always) func callAsFunction(_ x: Float) -> Float { x * Swift.min(Swift.max(x + 3, 0), 6) / 6 }
}
struct FHardswishGrad: BinaryFn {
  @inline(__always) func callAsFunction(_ x: Float, _ g: Float) -> Float {
    x < -3 ? 0 : (x > 3 ? g : g * (2 * x + 3) / 6)
  }
}
struct FSoftplus: UnaryFn {
  @inline(__always) func callAsFunction(_ x: Float) -> Float { Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x))) }
}
struct FSoftplusGrad: BinaryFn { @inline(__always) func callAsFunction(_ x: Float, _ g: Float) -> Float { g * sigmoidScalar(x) } }
