import Foundation

/// Element-wise two-argument functions with broadcasting (atan2, fmod, remainder,
/// maximum, minimum): one row each (name, forward, both partial derivatives, summary),
/// so the Lua methods and `lyra.*` functions are generated, as for `UnaryMath`.
public struct BinaryMath: Sendable {
  public let name: String
  public let summary: String
  let forward: @Sendable (Float, Float) -> Float
  /// ∂f/∂a and ∂f/∂b at (a, b).
  let da: @Sendable (Float, Float) -> Float
  let db: @Sendable (Float, Float) -> Float

  init(_ name: String, _ summary: String, _ forward: @escaping @Sendable (Float, Float) -> Float,
       da: @escaping @Sendable (Float, Float) -> Float, db: @escaping @Sendable (Float, Float) -> Float) {
    self.name = name
    self.summary = summary
    self.forward = forward
    self.da = da
    self.db = db
  }

  /// f(a, b) for one pair.
  public func callAsFunction(_ a: Float, _ b: Float) -> Float { forward(a, b) }

  /// Ties of maximum/minimum split the gradient evenly (as PyTorch); NaN propagates.
  static func pick(_ a: Float, _ b: Float, larger: Bool) -> Float {
    a.isNaN || b.isNaN ? .nan : (larger ? Swift.max(a, b) : Swift.min(a, b))
  }
  static func share(_ a: Float, _ b: Float, larger: Bool) -> Float {
    a == b ? 0.5 : ((a > b) == larger ? 1 : 0)
  }

  public static let all: [BinaryMath] = [
    BinaryMath("atan2", "Angle of the point (x = other, y = self) in (-pi, pi].", { Foundation.atan2($0, $1) },
               da: { a, b in b / (a * a + b * b) }, db: { a, b in -a / (a * a + b * b) }),
    BinaryMath("fmod", "C remainder of x / y: the sign of x (fmod(-5, 3) = -2).", { Foundation.fmod($0, $1) },
               da: { _, _ in 1 }, db: { a, b in -(a / b).rounded(.towardZero) }),
    BinaryMath("remainder", "x - y * floor(x / y): the sign of y, as Python's % (remainder(-5, 3) = 1).",
               { a, b in let r = Foundation.fmod(a, b); return r != 0 && (r < 0) != (b < 0) ? r + b : r },
               da: { _, _ in 1 }, db: { a, b in -(a / b).rounded(.down) }),
    BinaryMath("maximum", "The larger of x and y element-wise; NaN if either is NaN.", { pick($0, $1, larger: true) },
               da: { share($0, $1, larger: true) }, db: { share($1, $0, larger: true) }),
    BinaryMath("minimum", "The smaller of x and y element-wise; NaN if either is NaN.", { pick($0, $1, larger: false) },
               da: { share($0, $1, larger: false) }, db: { share($1, $0, larger: false) }),
  ]

  /// The row called `name`, or nil.
  public static func named(_ name: String) -> BinaryMath? { all.first { $0.name == name } }
}

extension Tensor {
  /// `op(self, other)` with broadcasting, on the tape: each input's gradient is
  /// g * ∂f, summed back to its own shape.
  public func apply(_ op: BinaryMath, _ other: Tensor) -> Tensor {
    let sa = shape, sb = other.shape
    return mapBinary(other, op.name, FClosure2(f: op.forward)).recorded(op.name, [self, other]) { [self] g in
      [self.requiresGrad ? g.mapBinary(self.mapBinary(other, op.name, FClosure2(f: op.da)), op.name, FMul()).sumTo(sa) : nil,
       other.requiresGrad ? g.mapBinary(self.mapBinary(other, op.name, FClosure2(f: op.db)), op.name, FMul()).sumTo(sb) : nil]
    }
  }

  /// self + w * (end - self): linear interpolation, differentiable in all three.
  public func lerp(_ end: Tensor, _ weight: Tensor) -> Tensor { add(weight.mul(end.sub(self))) }
}

/// A table row's two-argument function as a kernel function.
struct FClosure2: BinaryFn {
  let f: (Float, Float) -> Float
  @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { f(a, b) }
}
