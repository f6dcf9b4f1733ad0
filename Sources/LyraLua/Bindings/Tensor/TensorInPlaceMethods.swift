import CLua
import LyraBase
import LyraTensor

/// In-place updates (`x:add_(y)`, Torch7's `fill`, `zero`, `copy`) and autograd.
/// In-place changes to a tensor that requires grad are refused outside `lyra.no_grad`,
/// since they would silently corrupt the tape.
enum TensorInPlaceMethods {
  static func mutable(_ call: LuaCall) throws -> Tensor {
    let x = try TensorLua.any(call, 1)
    if x.requiresGrad && Tensor.isGradEnabled {
      throw LuaFailure("in-place update of a tensor that requires grad; do it inside lyra.no_grad(function() ... end)")
    }
    return x
  }

  /// Argument `i` as a value to store in `x`: an int tensor takes only integers in the
  /// int32 range (converting 2^62 or NaN would trap).
  static func storable(_ call: LuaCall, _ i: Int, into x: Tensor) throws -> Float {
    let v = try call.number(i)
    if x.dtype == .int32, !(v.isFinite && v == v.rounded() && abs(v) <= Double(Int32.max)) {
      throw LuaArgumentError(i, "\(v) cannot be stored in an int tensor (integers in ±2^31 only)")
    }
    return Float(v)
  }

  /// Argument `i` (a number or boolean) as an exact value to store in an int64, float64 or
  /// bool tensor: integers go into int64 exactly; a non-integer or non-finite number into an
  /// int64 tensor is an error; any number goes into bool as `~= 0`.
  static func exactStorable(_ call: LuaCall, _ i: Int, into x: Tensor) throws -> Scalar {
    let s = call.stack
    if s.type(Int32(i)) == .boolean { return .bool(s.toBool(Int32(i))) }
    if s.type(Int32(i)) == .number, lua_isinteger(call.L, Int32(i)) != 0, let v = s.toInteger(Int32(i)) { return .int(Int64(v)) }
    let v = try call.number(i)
    if x.dtype == .int64, !(v.isFinite && v == v.rounded() && abs(v) < 9.2e18) {
      throw LuaArgumentError(i, "\(v) cannot be stored in an int64 tensor (integers only)")
    }
    return .float64(v)
  }

  /// Stores argument `i` into every element of `x` (all dtypes).
  static func fill(_ call: LuaCall, _ i: Int, into x: Tensor) throws {
    if x.dtype.isLegacy { x.fill_(try storable(call, i, into: x)) } else { x.fill_(try exactStorable(call, i, into: x)) }
  }

  static func inPlace(_ name: String, _ help: String, tensor: @escaping (Tensor, Tensor) -> Void,
                      number: @escaping (Tensor, Float) -> Void) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      let x = try mutable(call)
      guard x.dtype == .float32 else { throw LuaFailure("in-place arithmetic needs a float tensor") }
      if call.stack.type(2) == .number { number(x, Float(try call.number(2))) } else {
        let y = try TensorOps.floatTensor(call, 2)
        guard Shape.broadcast(x.shape, y.shape) == x.shape else {
          throw LuaFailure("shape \(ShapeText.format(y.shape)) does not broadcast to \(ShapeText.format(x.shape))")
        }
        tensor(x, y)
      }
      call.stack.setTop(1)
      return 1
    }
  }

  /// `x:name_()`: a `UnaryMath` row applied in place (float tensors only, as in-place arithmetic).
  static func unary(_ op: UnaryMath) -> LuaMethod {
    LuaMethod(op.name + "_", help: "x:\(op.name)_() -> x\n\(op.summary) In place.") { call in
      let x = try mutable(call)
      guard x.dtype == .float32 else { throw LuaFailure("in-place \(op.name)_ needs a float tensor; use x:\(op.name)() for a new float tensor") }
      x.apply_(op)
      call.stack.setTop(1)
      return 1
    }
  }

  static var all: [LuaMethod] {
    UnaryMath.all.map(unary) + [
      inPlace("add_", "x:add_(y) -> x\nx += y in place.", tensor: { $0.add_($1) }, number: { $0.add_($1) }),
      inPlace("sub_", "x:sub_(y) -> x\nx -= y in place.", tensor: { $0.sub_($1) }, number: { $0.sub_($1) }),
      inPlace("mul_", "x:mul_(y) -> x\nx *= y in place.", tensor: { $0.mul_($1) }, number: { $0.mul_($1) }),
      inPlace("div_", "x:div_(y) -> x\nx /= y in place.", tensor: { $0.div_($1) }, number: { $0.div_($1) }),
      LuaMethod("fill", help: "x:fill(value) -> x\nSets every element (Torch7).") { call in
        let x = try mutable(call)
        try fill(call, 2, into: x)
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("zero", help: "x:zero() -> x\nSets every element to 0 (Torch7).") { call in
        try mutable(call).zero_()
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("copy", help: "x:copy(src) -> x\nCopies src's values into x (src broadcasts to x's shape).") { call in
        let x = try mutable(call), src = try TensorLua.any(call, 2)
        guard Shape.broadcast(x.shape, src.shape) == x.shape else {
          throw LuaFailure("shape \(ShapeText.format(src.shape)) does not broadcast to \(ShapeText.format(x.shape))")
        }
        _ = x.copy_(src.dtype == x.dtype ? src : src.to(x.dtype))
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("requires_grad_", help: "x:requires_grad_([flag = true]) -> x\nMarks a leaf tensor as a parameter whose gradient is wanted.") { call in
        let x = try TensorLua.any(call, 1)
        let on = try call.optBool(2, true)
        guard !on || x.dtype == .float32 else {
          throw LuaFailure("only float32 tensors can require gradients, this one is \(x.dtype)\(x.dtype == .float64 ? " (float64 has no autograd in Lyra)" : ""); convert with x:float() first")
        }
        x.requiresGrad_(on)
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("backward", help: "x:backward([gradient])\nBack-propagates from x (a one-element loss, or with a gradient of x's shape), adding into .grad of every leaf.") { call in
        let x = try TensorLua.check(call, 1)
        guard x.requiresGrad else { throw LuaFailure("tensor does not require grad (no parameter contributed to it)") }
        if let g = try TensorLua.opt(call, 2) {
          guard g.shape == x.shape else { throw LuaArgumentError(2, "gradient shape \(ShapeText.format(g.shape)) differs from \(ShapeText.format(x.shape))") }
          try x.backwardChecked(g)
        } else {
          guard x.count == 1 else { throw LuaFailure("a gradient is needed for a non-scalar output of shape \(ShapeText.format(x.shape))") }
          try x.backwardChecked()
        }
        return 0
      },
      LuaMethod("zero_grad", help: "x:zero_grad()\nClears x.grad.") { call in
        try TensorLua.any(call, 1).zeroGrad()
        return 0
      },
      LuaMethod("detach", help: "x:detach() -> tensor\nThe same data cut off from the tape.") { call in
        TensorLua.push(try TensorLua.any(call, 1).detach(), call.stack)
        return 1
      },
    ]
  }
}
