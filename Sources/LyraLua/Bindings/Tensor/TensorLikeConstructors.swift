import LyraBase
import LyraTensor

/// `lyra.zeros_like(x)` and friends: a new tensor with `x`'s shape (and, where PyTorch
/// keeps it, its dtype), so code ported from PyTorch need not spell `lyra.zeros(x:size())`.
enum TensorLikeConstructors {
  /// A `name(x)` function; `extra` more arguments are read by `make` (`full_like`'s value).
  static func like(_ name: String, extra: Int = 0, _ help: String, _ make: @escaping (LuaCall, Tensor) throws -> Tensor) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      let x = try TensorLua.any(call, 1)
      try call.noMoreArguments(after: 1 + extra)
      TensorLua.push(try make(call, x), call.stack)
      return 1
    }
  }

  /// `rand_like` and `randn_like` draw floats; PyTorch refuses an integer tensor there too.
  static func floatLike(_ name: String, _ x: Tensor) throws -> Tensor {
    guard x.dtype.isFloatingPoint else {
      throw LuaArgumentError(1, "lyra.\(name) draws floats and x is an \(x.dtype == .int32 ? "int" : x.dtype.rawValue) tensor (use lyra.\(name.dropLast(5))(x:size()))")
    }
    return x
  }

  static var all: [LuaMethod] {
    [
      like("zeros_like", "lyra.zeros_like(x) -> tensor\nZeros with x's shape and dtype.") { _, x in Tensor.zerosLike(x) },
      like("ones_like", "lyra.ones_like(x) -> tensor\nOnes with x's shape and dtype.") { _, x in Tensor.onesLike(x) },
      like("full_like", extra: 1, "lyra.full_like(x, value) -> tensor\nvalue everywhere, with x's shape and dtype (an int32 tensor saturates value to int32; int64 and float64 take it exactly).") { call, x in
        if x.dtype.isLegacy { return Tensor.full(x.shape, Float(try call.number(2)), dtype: x.dtype) }
        let t = Tensor.empty(x.shape, dtype: x.dtype)
        return t.fill_(try TensorInPlaceMethods.exactStorable(call, 2, into: t))
      },
      like("rand_like", "lyra.rand_like(x) -> tensor\nUniform in [0, 1) with x's shape (x must be a float tensor), from the generator seeded by lyra.manual_seed.") { _, x in
        Tensor.rand(try floatLike("rand_like", x).shape).to(x.dtype)
      },
      like("randn_like", "lyra.randn_like(x) -> tensor\nStandard normal with x's shape (x must be a float tensor), from the generator seeded by lyra.manual_seed.") { _, x in
        Tensor.randn(try floatLike("randn_like", x).shape).to(x.dtype)
      },
    ]
  }
}
