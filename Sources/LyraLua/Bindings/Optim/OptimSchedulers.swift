import CLua
import LyraNN
import LyraTensor

/// What a `lyra.optim.LRScheduler` userdata holds: the schedule (rate as a pure function
/// of the step) and the object stepping it, which sets the optimiser's `lr`.
final class SchedulerBox {
  let schedule: LRSchedule
  let kind: String
  /// Run with a step before its rate is computed (LambdaLR evaluates its Lua function
  /// there, where an error can be thrown).
  var prepare: ((Int) throws -> Void)?
  init(_ schedule: LRSchedule, kind: String) {
    self.schedule = schedule
    self.kind = kind
  }
}

/// `lyra.optim.lr_scheduler.*`: PyTorch's closed-form schedulers. Constructing one sets
/// the optimiser's rate for step 0; `s:step()` after each epoch (or batch) advances it.
enum OptimSchedulers {
  static let className = "lyra.optim.LRScheduler"

  static func check(_ call: LuaCall, _ i: Int) throws -> SchedulerBox {
    try call.object(i, SchedulerBox.self, what: className)
  }

  static func open(_ state: LuaState) {
    state.defineClass(className, methods: methods, metamethods: [
      LuaMethod("__tostring", help: "tostring(s)") { call in
        let b = try check(call, 1)
        call.push("lyra.optim.lr_scheduler.\(b.kind) (step \(b.schedule.stepCount), lr \(b.schedule.lastLR))")
        return 1
      },
    ])
    let s = state.stack
    s.pushTable(path: "lyra.optim.lr_scheduler")
    state.setHelp(-1, name: "lyra.optim.lr_scheduler", help: "lyra.optim.lr_scheduler: StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, WarmupLR (LinearWarmup), OneCycleLR, CosineAnnealingWarmRestarts, LambdaLR, ReduceLROnPlateau.")
    s.pop()
    func make(_ kind: String, _ keys: Set<String>, _ help: String, _ build: @escaping (LuaOptions) throws -> (LRScheduler, Double?)) {
      register(state, kind, keys, help) { o, _ in let (s, b) = try build(o); return (s, b, nil) }
    }
    make("StepLR", ["step_size", "gamma"], """
      lyra.optim.lr_scheduler.StepLR(opt, {step_size =, gamma = 0.1}) -> scheduler
      lr = base * gamma ^ floor(step / step_size). Call s:step() once per epoch.
      Example: local s = lyra.optim.lr_scheduler.StepLR(opt, {step_size = 30, gamma = 0.1})
      """) { o in
      guard let n = try o.int("step_size"), n > 0 else { throw LuaFailure("step_size must be a positive integer") }
      return (StepLR(stepSize: n, gamma: try o.number("gamma") ?? 0.1), nil)
    }
    make("MultiStepLR", ["milestones", "gamma"], """
      lyra.optim.lr_scheduler.MultiStepLR(opt, {milestones = {30, 80}, gamma = 0.1}) -> scheduler
      lr = base * gamma ^ (number of milestones <= step).
      """) { o in
      guard let m = try o.ints("milestones") else { throw LuaFailure("milestones (a list of step counts) is required") }
      return (MultiStepLR(milestones: m, gamma: try o.number("gamma") ?? 0.1), nil)
    }
    make("ExponentialLR", ["gamma"], """
      lyra.optim.lr_scheduler.ExponentialLR(opt, {gamma =}) -> scheduler
      lr = base * gamma ^ step.
      """) { o in
      guard let g = try o.number("gamma") else { throw LuaFailure("gamma is required") }
      return (ExponentialLR(gamma: g), nil)
    }
    make("CosineAnnealingLR", ["T_max", "eta_min"], """
      lyra.optim.lr_scheduler.CosineAnnealingLR(opt, {T_max =, eta_min = 0}) -> scheduler
      lr = eta_min + (base - eta_min) * (1 + cos(pi * min(step, T_max) / T_max)) / 2.
      """) { o in
      guard let t = try o.int("T_max"), t > 0 else { throw LuaFailure("T_max must be a positive integer") }
      return (CosineAnnealingLR(tMax: t, etaMin: try o.number("eta_min") ?? 0), nil)
    }
    for alias in ["WarmupLR", "LinearWarmup"] {
      make(alias, ["warmup_steps", "start_factor", "after"], """
        lyra.optim.lr_scheduler.\(alias)(opt, {warmup_steps =, start_factor = 0, after = scheduler}) -> scheduler
        Linear warm-up from start_factor * base to base over warmup_steps steps, then the
        schedule of `after` (another scheduler on the same optimiser, counted from the end
        of the warm-up), or the base rate.
        Example: local s = lyra.optim.lr_scheduler.\(alias)(opt, {warmup_steps = 5,
                   after = lyra.optim.lr_scheduler.CosineAnnealingLR(opt, {T_max = 95})})
        """) { o in
        guard let w = try o.int("warmup_steps"), w >= 0 else { throw LuaFailure("warmup_steps must be an integer >= 0") }
        let after = try o.object("after", SchedulerBox.self, what: className)
        if after?.prepare != nil { throw LuaFailure("a LambdaLR cannot follow a warm-up; put the warm-up into its lr_lambda") }
        let f = try o.number("start_factor") ?? 0
        return (WarmupLR(warmupSteps: w, startFactor: f, after: after?.schedule.scheduler), after?.schedule.baseLR)
      }
    }
    openMore(state)
  }

  /// Registers `lyra.optim.lr_scheduler.<kind>(opt, options)`: `build` reads the options
  /// (and, for LambdaLR, the call) and returns the schedule, its base rate (nil: the
  /// optimiser's) and a hook run before each rate is computed.
  static func register(_ state: LuaState, _ kind: String, _ keys: Set<String>, _ help: String,
                       _ build: @escaping (LuaOptions, LuaCall) throws -> (LRScheduler, Double?, ((Int) throws -> Void)?)) {
    state.register("lyra.optim.lr_scheduler.\(kind)", help: help) { call in
      let opt = try call.object(1, OptimizerBox.self, what: OptimLua.className).optimizer
      guard let o = try call.options(2) else { throw call.expected(2, "table of options") }
      o.used = keys // a typo is reported as such before any missing-key error
      try o.finish()
      let (sched, base, prepare) = try build(o, call)
      try prepare?(0)
      let box = SchedulerBox(LRSchedule(optimizer: opt, scheduler: sched, baseLR: base), kind: kind)
      box.prepare = prepare
      call.push(object: box, className: className)
      return 1
    }
  }

  static var methods: [LuaMethod] {
    [
      LuaMethod("step", help: "s:step() -> s\nAdvances one step (epoch) and sets the optimiser's lr for it.") { call in
        let b = try check(call, 1)
        try b.prepare?(b.schedule.stepCount + 1)
        b.schedule.step()
        call.stack.setTop(1)
        return 1
      },
      LuaMethod.returning("get_lr", help: "s:get_lr() -> number\nThe optimiser's current rate (PyTorch's get_last_lr()[1]).") { try check($0, 1).schedule.lastLR },
      LuaMethod.returning("last_epoch", help: "s:last_epoch() -> integer\nSteps taken so far.") { try check($0, 1).schedule.stepCount },
      LuaMethod("state_dict", help: "s:state_dict() -> {last_epoch = n, base_lr = r}") { call in
        let b = try check(call, 1)
        call.stack.push(.table(array: [], fields: ["last_epoch": .integer(b.schedule.stepCount), "base_lr": .number(b.schedule.baseLR)]))
        return 1
      },
      LuaMethod("load_state_dict", help: "s:load_state_dict(t) -> s\nJumps to t.last_epoch (resuming) and sets the optimiser's lr for it.") { call in
        let b = try check(call, 1)
        try call.table(2)
        call.stack.rawGet(2, "last_epoch")
        defer { call.stack.pop() }
        guard call.stack.type(-1) == .number, let n = call.stack.toInteger(-1), n >= 0 else {
          throw LuaArgumentError(2, "last_epoch must be an integer >= 0")
        }
        try b.prepare?(n)
        b.schedule.resume(at: n)
        call.stack.setTop(1)
        return 1
      },
    ]
  }
}
