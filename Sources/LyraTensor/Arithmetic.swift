import Foundation

/// Broadcasting arithmetic with gradients. Broadcast inputs get their gradient summed
/// back to their own shape (`sumTo`).
extension Tensor {
  /// self + other.
  public func add(_ other: Tensor) -> Tensor {
    let out = mapBinary(other, "Tensor.add", FAdd())
    // Checked before the tape closure is made: making it allocates even when unused.
    guard Tensor.needsGrad(self, other) else { return out }
    let (sa, sb) = (shape, other.shape)
    return out.recorded("add", [self, other]) { g in [g.sumTo(sa), g.sumTo(sb)] }
  }

  /// self + alpha * other.
  public func add(_ other: Tensor, alpha: Float) -> Tensor {
    if alpha == 1 { return add(other) }
    let (sa, sb) = (shape, other.shape)
    return mapBinary(other, "Tensor.add", FAxpy(alpha: alpha)).recorded("add", [self, other]) { g in
      [g.sumTo(sa), g.sumTo(sb).mapUnary(FAffine(scale: alpha, shift: 0))]
    }
  }

  /// self - other.
  public func sub(_ other: Tensor) -> Tensor {
    let out = mapBinary(other, "Tensor.sub", FSub())
    guard Tensor.needsGrad(self, other) else { return out }
    let (sa, sb) = (shape, other.shape)
    return out.recorded("sub", [self, other]) { g in
      [g.sumTo(sa), g.sumTo(sb).mapUnary(FAffine(scale: -1, shift: 0))]
    }
  }

  /// self * other (elementwise).
  public func mul(_ other: Tensor) -> Tensor {
    let out = mapBinary(other, "Tensor.mul", FMul())
    guard Tensor.needsGrad(self, other) else { return out }
    let (sa, sb) = (shape, other.shape)
    return out.recorded("mul", [self, other]) { [self] g in
      [requiresGrad ? g.mapBinary(other, "mul", FMul()).sumTo(sa) : nil,
       other.requiresGrad ? g.mapBinary(self, "mul", FMul()).sumTo(sb) : nil]
    }
  }

  /// self / other (elementwise).
  public func div(_ other: Tensor) -> Tensor {
    let out = mapBinary(other, "Tensor.div", FDiv())
    guard Tensor.needsGrad(self, other) else { return out }
    let (sa, sb) = (shape, other.shape)
    return out.recorded("div", [self, other]) { g in
      // d/da = g / b; d/db = -g * out / b
      [self.requiresGrad ? g.mapBinary(other, "div", FDiv()).sumTo(sa) : nil,
       other.requiresGrad ? g.mapBinary(out, "div", FMul()).mapBinary(other, "div", FDiv()).mapUnary(FAffine(scale: -1, shift: 0)).sumTo(sb) : nil]
    }
  }

  /// self + s.
  public func add(_ s: Float) -> Tensor { affine(1, s, "add") }
  /// self - s.
  public func sub(_ s: Float) -> Tensor { affine(1, -s, "sub") }
  /// self * s.
  public func mul(_ s: Float) -> Tensor { affine(s, 0, "mul") }
  /// self / s.
  public func div(_ s: Float) -> Tensor { affine(1 / s, 0, "div") }
  /// s - self.
  public func rsub(_ s: Float) -> Tensor { affine(-1, s, "rsub") }
  /// -self.
  public func neg() -> Tensor { affine(-1, 0, "neg") }

  /// self * scale + shift, one pass.
  func affine(_ scale: Float, _ shift: Float, _ name: String) -> Tensor {
    requireFloat("Tensor.\(name)")
    let out = mapUnary(FAffine(scale: scale, shift: shift))
    guard Tensor.needsGrad(self) else { return out }
    return out.recorded(name, [self]) { g in
      [scale == 1 ? g : g.mapUnary(FAffine(scale: scale, shift: 0))]
    }
  }

  /// s / self.
  public func rdiv(_ s: Float) -> Tensor {
    let out = mapUnary(FRdiv(s: s))
    return out.recorded("rdiv", [self]) { [self] g in
      // d(s/x) = -s/x^2 = -out/x
      [g.mapBinary(out, "rdiv", FMul()).mapBinary(self, "rdiv", FDiv()).mapUnary(FAffine(scale: -1, shift: 0))]
    }
  }

  /// self ^ exponent (elementwise, scalar exponent).
  public func pow(_ exponent: Float) -> Tensor {
    if exponent == 1 { return mul(1) }
    let out = mapUnary(FPow(e: exponent))
    return out.recorded("pow", [self]) { [self] g in
      [g.mapBinary(self.mapUnary(FPow(e: exponent - 1)), "pow", FMul()).mapUnary(FAffine(scale: exponent, shift: 0))]
    }
  }

  /// self ^ exponent (elementwise, broadcast tensor exponent).
  public func pow(_ exponent: Tensor) -> Tensor {
    let (sa, sb) = (shape, exponent.shape)
    let out = mapBinary(exponent, "Tensor.pow", FPowT())
    return out.recorded("pow", [self, exponent]) { [self] g in
      // d/da = g * b * a^(b-1); d/db = g * out * log(a)
      [self.requiresGrad ? g.mul(exponent).mul(self.pow(exponent.sub(1))).sumTo(sa) : nil,
       exponent.requiresGrad ? g.mul(out).mul(self.mapUnary(FLog())).sumTo(sb) : nil]
    }
  }

  /// self * self.
  public func square() -> Tensor { pow(2) }
}

struct FRdiv: UnaryFn { let s: Float; @inline(__always) func callAsFunction(_ x: Float) -> Float { s / x } }
struct FPow: UnaryFn {
  let e: Float
  @inline(__always) func callAsFunction(_ x: Float) -> Float {
    if e == 2 { return x * x }
    if e == 0 { return 1 }
    return powf(x, e)
  }
}
struct FPowT: BinaryFn { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { powf(a, b) } }

// Operators for Swift callers; the Lua binding uses the named methods.
public func + (a: Tensor, b: Tensor) -> Tensor { a.add(b) }
public func - (a: Tensor, b: Tensor) -> Tensor { a.sub(b) }
public func * (a: Tensor, b: Tensor) -> Tensor { a.mul(b) }
public func / (a: Tensor, b: Tensor) -> Tensor { a.div(b) }
public func + (a: Tensor, s: Float) -> Tensor { a.add(s) }
public func - (a: Tensor, s: Float) -> Tensor { a.sub(s) }
public func * (a: Tensor, s: Float) -> Tensor { a.mul(s) }
public func / (a: Tensor, s: Float) -> Tensor { a.div(s) }
public func + (s: Float, a: Tensor) -> Tensor { a.add(s) }
public func - (s: Float, a: Tensor) -> Tensor { a.rsub(s) }
public func * (s: Float, a: Tensor) -> Tensor { a.mul(s) }
public func / (s: Float, a: Tensor) -> Tensor { a.rdiv(s) }
public prefix func - (a: Tensor) -> Tensor { a.neg() }
