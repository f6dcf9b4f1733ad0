import CLua
import LyraNN
import LyraTensor

/// `lyra.optim`: SGD/Adam/AdamW objects over a list of tensors, gradient clipping and
/// (in OptimSchedulers.swift) the learning-rate schedulers. The Torch7 functional forms
/// `lyra.optim.sgd/adam(feval, x, config, state)` are Lua (stdlib/lyra/optim.lua).
enum OptimLib {
  static func open(_ state: LuaState) {
    state.defineClass(OptimLua.className, methods: OptimMethods.all, metamethods: OptimMethods.metamethods,
                      index: OptimMethods.index)
    for (name, defaults) in [("SGD", "lr = 1e-3, momentum = 0, dampening = 0, weight_decay = 0, nesterov = false"),
                             ("Adam", "lr = 1e-3, betas = {0.9, 0.999}, eps = 1e-8, weight_decay = 0, amsgrad = false"),
                             ("AdamW", "lr = 1e-3, betas = {0.9, 0.999}, eps = 1e-8, weight_decay = 0.01, amsgrad = false"),
                             ("RMSprop", "lr = 1e-2, alpha = 0.99, eps = 1e-8, weight_decay = 0, momentum = 0, centered = false"),
                             ("Adagrad", "lr = 1e-2, lr_decay = 0, weight_decay = 0, initial_accumulator_value = 0, eps = 1e-10"),
                             ("Adadelta", "lr = 1, rho = 0.9, eps = 1e-6, weight_decay = 0")] {
      state.register("lyra.optim.\(name)", help: """
        lyra.optim.\(name)(params [, {\(defaults)}]) -> optimizer
        PyTorch's torch.optim.\(name) over a list of tensors (model:parameters()).
        Unknown option keys are errors. Use opt:zero_grad(), loss:backward(), opt:step().
        Example: local opt = lyra.optim.\(name)(model:parameters(), {lr = 0.01})
        """) { call in
        let params = try OptimLua.params(call, 1)
        let options = try OptimLua.options(call, 2)
        let opt: Optimizer
        do { opt = try Optimizers.make(name: name, params: params, options: options) } catch let e as OptimizerError {
          // LyraNN prefixes "SGD: "; the trampoline already names lyra.optim.SGD.
          throw LuaFailure(e.message.hasPrefix("\(name): ") ? String(e.message.dropFirst(name.count + 2)) : e.message)
        }
        call.push(object: OptimizerBox(opt), className: OptimLua.className)
        return 1
      }
    }
    state.register("lyra.optim.clip_grad_norm", help: """
      lyra.optim.clip_grad_norm(params, max_norm [, norm_type = 2]) -> total_norm
      Rescales all gradients together so their joint norm is at most max_norm
      (torch.nn.utils.clip_grad_norm_); norm_type may be math.huge. Returns the norm before clipping.
      """) { call in
      let params = try OptimLua.params(call, 1)
      let maxNorm = try call.number(2)
      let normType = try call.optNumber(3, 2)
      guard maxNorm >= 0 else { throw LuaArgumentError(2, "max_norm must be >= 0, got \(maxNorm)") }
      guard normType > 0 else { throw LuaArgumentError(3, "norm_type must be positive (or math.huge), got \(normType)") }
      try checkContiguousGradients(params)
      call.push(clipGradNorm(params, maxNorm: maxNorm, normType: normType))
      return 1
    }
    state.register("lyra.optim.clip_grad_value", help: """
      lyra.optim.clip_grad_value(params, clip)
      Clamps every gradient element to [-clip, clip] (torch.nn.utils.clip_grad_value_).
      """) { call in
      let params = try OptimLua.params(call, 1)
      let clip = try call.number(2)
      guard clip >= 0 else { throw LuaArgumentError(2, "clip must be >= 0, got \(clip)") }
      try checkContiguousGradients(params)
      clipGradValue(params, clipValue: clip)
      return 0
    }
    OptimSchedulers.open(state)
    OptimLBFGSLua.open(state)
  }

  static func checkContiguousGradients(_ ps: [Tensor]) throws {
    try OptimLua.checkGradients(ps)
    for p in ps where p.grad.map({ !$0.isContiguous }) ?? false { p.grad = p.grad!.contiguous() }
  }
}
