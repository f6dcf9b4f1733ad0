import LyraBase
import LyraTensor

/// Element-wise arithmetic, math, activations and comparisons. Each returns a new
/// tensor (PyTorch's convention); the in-place forms end in `_`.
enum TensorMathMethods {
  static var all: [LuaMethod] {
    let u = TensorOps.unary, b = TensorOps.binary
    return [
      b("add", "x:add(y) -> tensor\nx + y element-wise (y a tensor or number; broadcasting).") { $0 + $1 },
      b("sub", "x:sub(y) -> tensor\nx - y element-wise (broadcasting).") { $0 - $1 },
      b("mul", "x:mul(y) -> tensor\nx * y element-wise (broadcasting). Note: the * operator on two tensors is the matrix product, as in Torch7.") { $0 * $1 },
      b("cmul", "x:cmul(y) -> tensor\nElement-wise product (Torch7's name for mul).") { $0 * $1 },
      b("div", "x:div(y) -> tensor\nx / y element-wise (broadcasting).") { $0 / $1 },
      b("cdiv", "x:cdiv(y) -> tensor\nElement-wise quotient (Torch7's name for div).") { $0 / $1 },
      b("pow", "x:pow(y) -> tensor\nx ^ y element-wise (y a number or tensor).") { $1.dtype == .float32 && $1.rank == 0 ? $0.pow($1.item()) : $0.pow($1) },
      u("exp", "x:exp() -> tensor") { $0.exp() },
      u("log", "x:log() -> tensor\nNatural logarithm.") { $0.log() },
      u("sqrt", "x:sqrt() -> tensor") { $0.sqrt() },
      u("abs", "x:abs() -> tensor") { $0.abs() },
      u("neg", "x:neg() -> tensor\n-x.") { $0.neg() },
      u("sign", "x:sign() -> tensor\n-1, 0 or 1 per element.") { $0.sign() },
      u("square", "x:square() -> tensor") { $0.square() },
      LuaMethod("clamp", help: "x:clamp([min [, max]]) -> tensor\nLimits values to [min, max] (nil: unbounded).") { call in
        let x = try TensorOps.floatTensor(call, 1)
        let lo = call.isNil(2) ? -Float.infinity : Float(try call.number(2))
        let hi = call.isNil(3) ? Float.infinity : Float(try call.number(3))
        guard lo <= hi else { throw LuaFailure("min \(lo) is greater than max \(hi)") }
        TensorLua.push(x.clamp(min: lo, max: hi), call.stack)
        return 1
      },
      u("relu", "x:relu() -> tensor\nmax(x, 0).") { $0.relu() },
      u("relu6", "x:relu6() -> tensor\nmin(max(x, 0), 6).") { $0.relu6() },
      LuaMethod("leaky_relu", help: "x:leaky_relu([slope = 0.01]) -> tensor") { call in
        TensorLua.push(try TensorOps.floatTensor(call, 1).leakyRelu(Float(try call.optNumber(2, 0.01))), call.stack)
        return 1
      },
      u("sigmoid", "x:sigmoid() -> tensor") { $0.sigmoid() },
      u("tanh", "x:tanh() -> tensor") { $0.tanh() },
      u("gelu", "x:gelu() -> tensor\nGaussian error linear unit (erf form).") { $0.gelu() },
      u("silu", "x:silu() -> tensor\nx * sigmoid(x).") { $0.silu() },
      u("hardswish", "x:hardswish() -> tensor") { $0.hardswish() },
      u("softplus", "x:softplus() -> tensor\nlog(1 + exp(x)).") { $0.softplus() },
      b("eq", "x:eq(y) -> tensor\n1 where x == y, else 0.") { $0.eq($1) },
      b("ne", "x:ne(y) -> tensor\n1 where x ~= y, else 0.") { $0.ne($1) },
      b("lt", "x:lt(y) -> tensor\n1 where x < y, else 0.") { $0.lt($1) },
      b("le", "x:le(y) -> tensor\n1 where x <= y, else 0.") { $0.le($1) },
      b("gt", "x:gt(y) -> tensor\n1 where x > y, else 0.") { $0.gt($1) },
      b("ge", "x:ge(y) -> tensor\n1 where x >= y, else 0.") { $0.ge($1) },
      LuaMethod("lerp", help: "x:lerp(y, w) -> tensor\nx + w * (y - x) element-wise (w a number or tensor; broadcasting).") { call in
        let a = try TensorLua.tensorOrNumber(call, 1), b = try TensorLua.tensorOrNumber(call, 2)
        let w = try TensorLua.tensorOrNumber(call, 3)
        guard let ab = Shape.broadcast(a.shape, b.shape), let out = Shape.broadcast(ab, w.shape) else {
          throw LuaFailure("shapes \(ShapeText.format(a.shape)), \(ShapeText.format(b.shape)) and \(ShapeText.format(w.shape)) do not broadcast")
        }
        try call.checkedAllocation(out, "result")
        func float(_ t: Tensor) -> Tensor { t.dtype == .float32 ? t : t.float() }
        TensorLua.push(float(a).lerp(float(b), float(w)), call.stack)
        return 1
      },
    ] + UnaryMath.all.map { op in u(op.name, "x:\(op.name)() -> tensor\n\(op.summary)") { $0.apply(op) } }
      + BinaryMath.all.map { op in b(op.name, "x:\(op.name)(y) -> tensor\n\(op.summary) Broadcasting.") { $0.apply(op, $1) } }
  }
}
