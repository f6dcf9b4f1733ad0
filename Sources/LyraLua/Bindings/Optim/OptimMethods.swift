import CLua
import LyraNN
import LyraTensor

/// Methods of `lyra.optim.Optimizer`: step, zero_grad, state_dict round trips, and the
/// `opt.lr` property (read and assigned, as schedulers written in Lua need).
enum OptimMethods {
  static var all: [LuaMethod] {
    [
      LuaMethod("step", help: """
        opt:step([closure]) -> [loss]
        One update of every parameter that has a gradient. With a closure (which
        re-evaluates the loss), calls it first and returns its result, as PyTorch.
        """) { call in
        let opt = try OptimLua.check(call, 1)
        var results: Int32 = 0
        if !call.isNil(2) {
          guard call.stack.type(2) == .function else { throw call.expected(2, "function") }
          call.stack.setTop(2)
          if lyra_pcall_raw(call.L, 0, 1) != LUA_OK { throw LuaRaiseTop() }
          results = 1
        }
        try OptimLua.checkGradients(opt.params)
        opt.step()
        return Int(results)
      },
      LuaMethod("zero_grad", help: """
        opt:zero_grad([set_to_none = true]) -> opt
        Clears the parameters' gradients (to nil, or to zeros with false).
        """) { call in
        let opt = try OptimLua.check(call, 1)
        opt.zeroGrad(setToNone: try call.optBool(2, true))
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("parameters", help: "opt:parameters() -> {tensor, ...}\nThe tensors this optimiser updates.") { call in
        let opt = try OptimLua.check(call, 1)
        lua_createtable(call.L, Int32(opt.params.count), 0)
        for (k, p) in opt.params.enumerated() {
          TensorLua.push(p, call.stack)
          call.stack.rawSet(-2, index: k + 1)
        }
        return 1
      },
      LuaMethod("hyperparameters", help: "opt:hyperparameters() -> table\nAll hyper-parameters by PyTorch name (booleans as 0/1).") { call in
        let opt = try OptimLua.check(call, 1)
        call.stack.push(.table(array: [], fields: opt.hyperparameters.mapValues { .number($0) }))
        return 1
      },
      LuaMethod("state_dict", help: """
        opt:state_dict() -> table
        A copy of the state a resumed run needs: {optimizer = 'SGD', hyper = {lr = ...},
        state = {[i] = {momentum_buffer = tensor, step = n}}} (i = parameter index, 1-based).
        """) { call in
        let opt = try OptimLua.check(call, 1)
        OptimStateLua.push(opt.stateDict(), params: opt.params, call.stack)
        return 1
      },
      LuaMethod("load_state_dict", help: """
        opt:load_state_dict(t) -> opt
        Restores what opt:state_dict() returned (same optimiser kind and parameter shapes).
        """) { call in
        let opt = try OptimLua.check(call, 1)
        try call.table(2)
        try opt.loadStateDict(try OptimStateLua.read(call, 2))
        call.stack.setTop(1)
        return 1
      },
    ]
  }

  static let index = LuaMethod("__index", help: "opt.lr, opt.name and the other hyper-parameters (read)") { call in
    let opt = try OptimLua.check(call, 1)
    guard let key = call.stack.toString(2) else { call.pushNil(); return 1 }
    if key == "name" { call.push(opt.name) } else if key == "lr" { call.push(opt.lr) } else if let v = opt.hyperparameters[key] {
      call.push(v)
    } else { call.pushNil() }
    return 1
  }

  static var metamethods: [LuaMethod] {
    [
      LuaMethod("__newindex", help: "opt.lr = value") { call in
        let opt = try OptimLua.check(call, 1)
        guard call.stack.toString(2) == "lr" else {
          throw LuaFailure("cannot set field '\(call.stack.describe(2))' of an optimizer (only lr)")
        }
        let v = try call.number(3)
        guard v >= 0, v.isFinite else { throw LuaArgumentError(3, "lr must be a finite number >= 0, got \(v)") }
        opt.lr = v
        return 0
      },
      LuaMethod("__tostring", help: "tostring(opt)") { call in
        let opt = try OptimLua.check(call, 1)
        let h = opt.hyperparameters.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ")
        call.push("lyra.optim.\(opt.name) (\(opt.params.count) parameters) {\(h)}")
        return 1
      },
    ]
  }
}
