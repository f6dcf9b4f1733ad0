import Foundation
import LyraTensor

/// Native reference timings for `scripts/bench/lua_overhead`: the same small op run in
/// a Swift loop, so the Lua call's overhead is the difference per call.
enum TensorBench {
  static func open(_ state: LuaState) {
    state.register("lyra.bench.native_add", help: """
      lyra.bench.native_add(x, y, n) -> seconds
      Runs x + y n times in Swift (no Lua in the loop) and returns the elapsed time:
      the reference that the Lua-call overhead benchmark subtracts.
      """) { call in
      let x = try TensorLua.check(call, 1), y = try TensorLua.check(call, 2)
      let n = try call.integer(3)
      guard n > 0, Shape.broadcast(x.shape, y.shape) != nil, x.dtype == .float32, y.dtype == .float32 else {
        throw LuaFailure("expects two broadcastable float tensors and a positive count")
      }
      let t0 = DispatchTime.now().uptimeNanoseconds
      for _ in 0..<n { _ = x + y }
      call.push(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
      return 1
    }
    let s = state.stack
    s.pushTable(path: "lyra.bench")
    state.setHelp(-1, name: "lyra.bench", help: "lyra.bench: native reference timings used by scripts/bench.")
    s.pop()
  }
}
