import Foundation
import LyraTensor

/// Native reference timings for `scripts/bench/lua_overhead`: the same small op run in
/// a Swift loop, so the Lua call's overhead is the difference per call.
enum TensorBench {
  static func open(_ state: LuaState) {
    state.register("lyra.bench.native", help: """
      lyra.bench.native(op, x, y, n) -> seconds
      Runs the tensor op n times in Swift (no Lua in the loop) and returns the elapsed time:
      the reference that the Lua-call overhead benchmark compares with. op is 'add', 'sub',
      'mul' or 'div' (element-wise, broadcasting, as x:add(y)) or 'dot' (1-D x * y).
      """) { call in
      let name = try call.string(1)
      let x = try TensorLua.check(call, 2), y = try TensorLua.check(call, 3)
      let n = try call.integer(4)
      let ops: [String: (Tensor, Tensor) -> Any] = [
        "add": { $0 + $1 }, "sub": { $0 - $1 }, "mul": { $0 * $1 }, "div": { $0 / $1 }, "dot": { $0.matmul($1).item() },
      ]
      guard let op = ops[name] else { throw LuaArgumentError(1, "unknown op '\(name)' (use add, sub, mul, div or dot)") }
      let fits = name == "dot" ? x.rank == 1 && y.rank == 1 && x.count == y.count : Shape.broadcast(x.shape, y.shape) != nil
      guard n > 0, fits, x.dtype == .float32, y.dtype == .float32 else {
        throw LuaFailure("expects two float tensors that fit the op and a positive count")
      }
      let t0 = DispatchTime.now().uptimeNanoseconds
      for _ in 0..<n { _ = op(x, y) }
      call.push(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
      return 1
    }
    let s = state.stack
    s.pushTable(path: "lyra.bench")
    state.setHelp(-1, name: "lyra.bench", help: "lyra.bench: native reference timings used by scripts/bench.")
    s.pop()
  }
}
