import LyraBase
import LyraTensor

/// isnan / isinf / isfinite (0/1 float tensors, like the comparisons) and allclose /
/// equal (Lua booleans), with PyTorch's names and defaults.
enum TensorPredicateMethods {
  /// Argument `i` as a non-negative tolerance, `d` when nil.
  static func tolerance(_ call: LuaCall, _ i: Int, _ d: Double, _ name: String) throws -> Float {
    let v = try call.optNumber(i, d)
    guard v >= 0 else { throw LuaArgumentError(i, "\(name) must be >= 0, got \(v)") }
    return Float(v)
  }

  static var all: [LuaMethod] {
    let u = TensorOps.unary
    return [
      u("isnan", "x:isnan() -> tensor\n1 where x is NaN, else 0.") { $0.isnan() },
      u("isinf", "x:isinf() -> tensor\n1 where x is +inf or -inf, else 0.") { $0.isinf() },
      u("isfinite", "x:isfinite() -> tensor\n1 where x is neither NaN nor infinite, else 0.") { $0.isfinite() },
      LuaMethod("allclose", help: "x:allclose(y [, rtol = 1e-5 [, atol = 1e-8]]) -> boolean\nWhether |x - y| <= atol + rtol * |y| for every element (broadcasting; NaN is never close, equal infinities are).") { call in
        let a = try TensorLua.check(call, 1), b = try TensorLua.tensorOrNumber(call, 2)
        guard Shape.broadcast(a.shape, b.shape) != nil else {
          throw LuaFailure("shapes \(ShapeText.format(a.shape)) and \(ShapeText.format(b.shape)) do not broadcast")
        }
        let rtol = try tolerance(call, 3, 1e-5, "rtol"), atol = try tolerance(call, 4, 1e-8, "atol")
        try TensorOps.checkBroadcast(call, a, b)
        call.push(a.allclose(b, rtol: rtol, atol: atol))
        return 1
      },
      LuaMethod("equal", help: "x:equal(y) -> boolean\nWhether x and y have the same shape and the same values (NaN equals nothing).") { call in
        call.push(try TensorLua.check(call, 1).equal(try TensorLua.check(call, 2)))
        return 1
      },
    ]
  }
}
