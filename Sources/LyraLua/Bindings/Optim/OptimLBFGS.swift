import CLua
import LyraNN
import LyraTensor

/// `lyra.optim.LBFGS`: its own class, because its step takes a closure that re-evaluates
/// the model (PyTorch's `opt.step(closure)`). The closure is a Lua function called in
/// protected mode; its error becomes the error of `opt:step`, thrown, never unwound
/// through Swift.
enum OptimLBFGSLua {
  static let className = "lyra.optim.LBFGS"

  static func check(_ call: LuaCall) throws -> LBFGS { try call.object(1, LBFGS.self, what: className) }

  static func open(_ state: LuaState) {
    state.defineClass(className, methods: methods, metamethods: [
      LuaMethod("__tostring", help: "tostring(opt)") { call in
        let o = try check(call)
        call.push("lyra.optim.LBFGS (\(o.params.count) parameters) {lr = \(o.lr), max_iter = \(o.maxIter), history_size = \(o.historySize), iterations so far = \(o.iterations)}")
        return 1
      },
    ])
    state.register("lyra.optim.LBFGS", help: """
      lyra.optim.LBFGS(params [, {lr = 1, max_iter = 20, max_eval = max_iter * 5 / 4, tolerance_grad = 1e-7, tolerance_change = 1e-9, history_size = 100}]) -> optimizer
      PyTorch's torch.optim.LBFGS without a line search: opt:step(closure) runs up to max_iter quasi-Newton
      iterations, calling closure() (zero the gradients, compute the loss, loss:backward(), return the loss)
      whenever it needs the loss and gradients again. Best for small, smooth, full-batch problems.
      Example: opt:step(function() opt:zero_grad(); local l = loss(); l:backward(); return l end)
      """) { call in
      let params = try OptimLua.params(call, 1)
      let o = try call.options(2)
      let lr = try o?.number("lr") ?? 1, maxIter = try o?.int("max_iter") ?? 20, maxEval = try o?.int("max_eval")
      let tg = try o?.number("tolerance_grad") ?? 1e-7, tc = try o?.number("tolerance_change") ?? 1e-9
      let history = try o?.int("history_size") ?? 100
      if let ls = try o?.string("line_search_fn") {
        throw LuaArgumentError(2, "line_search_fn '\(ls)' is not supported yet; leave it out (fixed steps of lr)")
      }
      try o?.finish()
      do {
        try LBFGS.validate(lr: lr, maxIter: maxIter, maxEval: maxEval, historySize: history, toleranceGrad: tg, toleranceChange: tc)
        guard maxIter <= 1 << 20, (maxEval ?? 0) <= 1 << 24, history <= 1 << 16 else {
          throw OptimizerError("max_iter, max_eval and history_size must be at most 2^20, 2^24 and 2^16")
        }
      } catch let e as OptimizerError {
        throw LuaFailure(e.message.replacingOccurrences(of: "LBFGS: ", with: ""))
      }
      call.push(object: LBFGS(params, lr: lr, maxIter: maxIter, maxEval: maxEval, toleranceGrad: tg, toleranceChange: tc,
                              historySize: history), className: className)
      return 1
    }
  }

  static var methods: [LuaMethod] {
    [
      LuaMethod("step", help: """
        opt:step(closure) -> loss
        Up to max_iter iterations; closure() must zero the gradients, compute the loss, call loss:backward() and
        return the loss (a one-element tensor or a number). Returns the loss of the first closure call.
        """) { call in
        let o = try check(call)
        guard call.stack.type(2) == .function else { throw call.expected(2, "function (the closure)") }
        let closure = LuaRef(state: call.state, L: call.L, index: 2)
        let loss = try o.step {
          let v: Double = try closure.call(nresults: 1, pushArgs: { _ in 0 }, readResults: { s in
            if let t = s.toObject(-1, as: Tensor.self), t.count == 1, t.dtype == .float32 { return Double(t.contiguous().toArray()[0]) }
            if s.type(-1) == .number, let x = s.toNumber(-1) { return x }
            throw LuaFailure("the closure must return the loss (a one-element tensor or a number), got \(s.typeName(-1))")
          })
          try OptimLua.checkGradients(o.params)
          return v
        }
        call.push(loss)
        return 1
      },
      LuaMethod("zero_grad", help: "opt:zero_grad()\nClears the gradients of every parameter.") { call in
        try check(call).zeroGrad()
        return 0
      },
      LuaMethod.returning("iterations", help: "opt:iterations() -> integer\nIterations run over every step so far.") { try check($0).iterations },
    ]
  }
}
