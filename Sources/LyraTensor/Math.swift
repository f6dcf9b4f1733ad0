import Foundation

/// Elementwise math with gradients. Each op pairs a forward scalar function with a
/// backward one of (saved value, incoming gradient), both specialised structs.
extension Tensor {
  /// Applies `f`, recording a backward that maps (x, g) through `dx`.
  func unaryFromInput<F: UnaryFn, D: BinaryFn>(_ name: String, _ f: F, _ dx: D) -> Tensor {
    requireFloat("Tensor.\(name)")
    return mapUnary(f).recorded(name, [self]) { [self] g in [self.mapBinary(g, name, dx)] }
  }

  /// Applies `f`, recording a backward that maps (y, g) through `dy` (y the output).
  func unaryFromOutput<F: UnaryFn, D: BinaryFn>(_ name: String, _ f: F, _ dy: D) -> Tensor {
    requireFloat("Tensor.\(name)")
    let out = mapUnary(f)
    return out.recorded(name, [self]) { g in [out.mapBinary(g, name, dy)] }
  }

  /// e^x.
  public func exp() -> Tensor { unaryFromOutput("exp", FExp(), FMul()) }
  /// Natural logarithm.
  public func log() -> Tensor { unaryFromInput("log", FLog(), FDivRev()) }
  /// Square root.
  public func sqrt() -> Tensor { unaryFromOutput("sqrt", FSqrt(), FSqrtGrad()) }
  /// |x| (gradient 0 at 0).
  public func abs() -> Tensor { unaryFromInput("abs", FAbs(), FSignMul()) }
  /// x clamped to [min, max]; the gradient passes where min <= x <= max.
  public func clamp(min lo: Float = -.infinity, max hi: Float = .infinity) -> Tensor {
    unaryFromInput("clamp", FClamp(lo: lo, hi: hi), FClampGrad(lo: lo, hi: hi))
  }
  /// -1, 0 or 1 per element; no gradient.
  public func sign() -> Tensor { mapUnary(FSign()) }
}

struct FExp: UnaryFn { @inline(__always) func callAsFunction(_ x: Float) -> Float { Foundation.exp(x) } }
struct FLog: UnaryFn { @inline(__always) func callAsFunction(_ x: Float) -> Float { Foundation.log(x) } }
struct FSqrt: UnaryFn { @inline(__always) func callAsFunction(_ x: Float) -> Float { x.squareRoot() } }
struct FAbs: UnaryFn { @inline(__always) func callAsFunction(_ x: Float) -> Float { Swift.abs(x) } }
struct FSign: UnaryFn { @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) } }
struct FClamp: UnaryFn {
  let lo: Float, hi: Float
  @inline(__always) func callAsFunction(_ x: Float) -> Float { Swift.min(Swift.max(x, lo), hi) }
}
/// (x, g) -> g / x.
struct FDivRev: BinaryFn { @inline(__always) func callAsFunction(_ x: Float, _ g: Float) -> Float { g / x } }
/// (y, g) -> g / (2y).
struct FSqrtGrad: BinaryFn { @inline(__always) func callAsFunction(_ y: Float, _ g: Float) -> Float { g * 0.5 / y } }
/// (x, g) -> g * sign(x).
struct FSignMul: BinaryFn { @inline(__always) func callAsFunction(_ x: Float, _ g: Float) -> Float { x > 0 ? g : (x < 0 ? -g : 0) } }
struct FClampGrad: BinaryFn {
  let lo: Float, hi: Float
  @inline(__always) func callAsFunction(_ x: Float, _ g: Float) -> Float { x >= lo && x <= hi ? g : 0 }
}
