import LyraBase
import LyraTensor

/// Running sums and products, prod, norms, logsumexp, all/any: the reductions beyond
/// sum/mean/var (Torch7/PyTorch names; dims are 1-based, negative counts from the end).
enum TensorStatMethods {
  /// Argument `i` as a required dimension of `x` (ops along one dimension, with no "all" form).
  static func requiredDim(_ call: LuaCall, _ i: Int, _ x: Tensor, _ what: String) throws -> Int {
    if call.isNil(i) { throw LuaArgumentError(i, "dim is required (\(what) runs along one dimension)") }
    return try call.dim(i, rank: x.rank, scalar: true)
  }

  /// Argument `i` as a norm order: a number >= 0, math.huge, or 'inf' / 'fro' (= 2).
  static func normOrder(_ call: LuaCall, _ i: Int) throws -> Float {
    if call.isNil(i) { return 2 }
    if call.stack.type(Int32(i)) == .string {
      switch try call.string(i) {
      case "fro": return 2
      case "inf": return .infinity
      case let s: throw LuaArgumentError(i, "p '\(s)' is not a norm order; use a number >= 0, math.huge, 'inf' or 'fro'")
      }
    }
    let p = try call.number(i)
    guard p >= 0 else { throw LuaArgumentError(i, "p must be >= 0 (or math.huge), got \(p)") }
    return Float(p)
  }

  static func scan(_ name: String, _ help: String, _ f: @escaping (Tensor, Int) -> Tensor) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      let x = try TensorOps.floatTensor(call, 1)
      TensorLua.push(f(x, try requiredDim(call, 2, x, name)), call.stack)
      return 1
    }
  }

  static var all: [LuaMethod] {
    [
      scan("cumsum", "x:cumsum(dim) -> tensor\nRunning sum along dim: out[k] = x[1] + ... + x[k] (accumulated in double).") { $0.cumsum($1) },
      scan("cumprod", "x:cumprod(dim) -> tensor\nRunning product along dim: out[k] = x[1] * ... * x[k]; its gradient is exact where x holds zeros.") { $0.cumprod($1) },
      TensorReduceMethods.reduction("prod", "x:prod([dim [, keepdim]]) -> tensor\nProduct of all elements (1 for none), or along dim; the gradient is exact where x holds zeros.",
                all: { $0.prod() }, along: { $0.prod($1, keepdim: $2) }),
      LuaMethod("norm", help: "x:norm([p = 2 [, dim [, keepdim]]]) -> tensor\nThe p-norm of all elements, or along dim: p = 2 (also 'fro'), 1, math.huge (or 'inf': the largest |x|), 0 (the count of non-zeros) or any p > 0. Its gradient at a zero norm is 0.") { call in
        let x = try TensorOps.floatTensor(call, 1)
        let p = try normOrder(call, 2)
        if call.isNil(3) {
          try call.noMoreArguments(after: 2, "keepdim needs a dim")
          TensorLua.push(x.norm(p), call.stack)
        } else {
          TensorLua.push(x.norm(p, dim: try call.dim(3, rank: x.rank, scalar: true), keepdim: try call.optBool(4, false)), call.stack)
        }
        return 1
      },
      LuaMethod("dist", help: "x:dist(y [, p = 2]) -> tensor\nThe p-norm of x - y (broadcasting), as x:norm(p) of the difference.") { call in
        let a = try TensorOps.floatTensor(call, 1), b = try TensorLua.tensorOrNumber(call, 2)
        try TensorOps.checkBroadcast(call, a, b)
        TensorLua.push(a.dist(b.dtype == .float32 ? b : b.float(), try normOrder(call, 3)), call.stack)
        return 1
      },
      LuaMethod("logsumexp", help: "x:logsumexp(dim [, keepdim]) -> tensor\nlog(sum(exp(x))) along dim, computed without overflow (max + log sum exp(x - max)); -inf for a line of -inf.") { call in
        let x = try TensorOps.floatTensor(call, 1)
        TensorLua.push(x.logsumexp(try requiredDim(call, 2, x, "logsumexp"), keepdim: try call.optBool(3, false)), call.stack)
        return 1
      },
      TensorReduceMethods.reduction("all", "x:all([dim [, keepdim]]) -> tensor\n1 when every element (or every element along dim) is non-zero, else 0; NaN counts as non-zero, an empty tensor gives 1. A float 0/1 tensor, like the comparisons; use x:all():item() == 1 for a Lua boolean.",
                all: { $0.all() }, along: { $0.all($1, keepdim: $2) }),
      TensorReduceMethods.reduction("any", "x:any([dim [, keepdim]]) -> tensor\n1 when some element (or some element along dim) is non-zero, else 0; an empty tensor gives 0. A float 0/1 tensor.",
                all: { $0.any() }, along: { $0.any($1, keepdim: $2) }),
    ]
  }
}
