import CLua
import LyraNN
import LyraTensor

/// The schedulers beyond the closed forms of OptimSchedulers.swift: OneCycleLR and
/// CosineAnnealingWarmRestarts (closed forms too), LambdaLR (a Lua function of the step)
/// and ReduceLROnPlateau (driven by a metric, its own class `lyra.optim.ReduceLROnPlateau`).
extension OptimSchedulers {
  static let plateauClass = "lyra.optim.ReduceLROnPlateau"

  static func openMore(_ state: LuaState) {
    register(state, "OneCycleLR", ["max_lr", "total_steps", "pct_start", "anneal_strategy", "div_factor", "final_div_factor", "three_phase"], """
      lyra.optim.lr_scheduler.OneCycleLR(opt, {max_lr =, total_steps =, pct_start = 0.3, anneal_strategy = 'cos', div_factor = 25, final_div_factor = 1e4, three_phase = false}) -> scheduler
      The 1cycle policy, as PyTorch's: from max_lr / div_factor up to max_lr over pct_start of total_steps, then down
      to max_lr / div_factor / final_div_factor ('cos' or 'linear'). Call s:step() after every batch. Momentum is not
      cycled; after total_steps the final rate is held.
      Example: local s = lyra.optim.lr_scheduler.OneCycleLR(opt, {max_lr = 0.1, total_steps = epochs * batches})
      """) { o, _ in
      guard let m = try o.number("max_lr"), m > 0, m.isFinite else { throw LuaFailure("max_lr must be a positive number") }
      guard let n = try o.int("total_steps"), n > 0 else { throw LuaFailure("total_steps must be a positive integer") }
      let pct = try o.number("pct_start") ?? 0.3
      guard pct > 0, pct < 1 else { throw LuaFailure("pct_start must be in (0, 1), got \(pct)") }
      let strategy = try o.string("anneal_strategy") ?? "cos"
      guard strategy == "cos" || strategy == "linear" else { throw LuaFailure("anneal_strategy must be 'cos' or 'linear', got '\(strategy)'") }
      let div = try o.number("div_factor") ?? 25, finalDiv = try o.number("final_div_factor") ?? 1e4
      guard div > 0, finalDiv > 0, div.isFinite, finalDiv.isFinite else { throw LuaFailure("div_factor and final_div_factor must be positive") }
      return (OneCycleLR(maxLR: m, totalSteps: n, pctStart: pct, annealStrategy: strategy, divFactor: div, finalDivFactor: finalDiv,
                         threePhase: try o.bool("three_phase") ?? false), nil, nil)
    }
    register(state, "CosineAnnealingWarmRestarts", ["T_0", "T_mult", "eta_min"], """
      lyra.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, {T_0 =, T_mult = 1, eta_min = 0}) -> scheduler
      SGDR: cosine annealing from the base rate to eta_min over T_0 steps, then a restart; each period is T_mult
      (an integer >= 1) times longer than the last.
      """) { o, _ in
      guard let t0 = try o.int("T_0"), t0 > 0 else { throw LuaFailure("T_0 must be a positive integer") }
      let mult = try o.int("T_mult") ?? 1
      guard mult >= 1 else { throw LuaFailure("T_mult must be an integer >= 1, got \(mult)") }
      return (CosineAnnealingWarmRestarts(t0: t0, tMult: mult, etaMin: try o.number("eta_min") ?? 0), nil, nil)
    }
    register(state, "LambdaLR", ["lr_lambda"], """
      lyra.optim.lr_scheduler.LambdaLR(opt, {lr_lambda = function(step) return factor end}) -> scheduler
      lr = base * lr_lambda(step), step counting from 0. An error in lr_lambda, or a result that is not a finite
      number, is an error of the s:step() call that ran it.
      Example: lyra.optim.lr_scheduler.LambdaLR(opt, {lr_lambda = function(e) return 0.95 ^ e end})
      """) { o, call in
      let fn = try o.withValue("lr_lambda") { s -> LuaRef in
        guard s.type(-1) == .function else { throw o.invalid("lr_lambda", "a function of the step, got \(s.typeName(-1))") }
        return LuaRef(state: call.state, L: call.L, index: -1)
      }
      let factors = LuaFactors(fn)
      return (LambdaLR { factors.values[$0] ?? .nan }, nil, { try factors.evaluate($0) })
    }
    state.defineClass(plateauClass, methods: plateauMethods, metamethods: [
      LuaMethod("__tostring", help: "tostring(s)") { call in
        let p = try call.object(1, ReduceLROnPlateau.self, what: plateauClass)
        call.push("lyra.optim.lr_scheduler.ReduceLROnPlateau (step \(p.stepCount), lr \(p.optimizer.lr), best \(p.best))")
        return 1
      },
    ])
    state.register("lyra.optim.lr_scheduler.ReduceLROnPlateau", help: """
      lyra.optim.lr_scheduler.ReduceLROnPlateau(opt [, {mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, threshold_mode = 'rel', cooldown = 0, min_lr = 0, eps = 1e-8}]) -> scheduler
      Multiplies the rate by factor when the metric given to s:step(metric) has not improved for more than patience
      steps (mode 'min': lower is better, 'max': higher), then waits cooldown steps; never below min_lr.
      Example: local s = lyra.optim.lr_scheduler.ReduceLROnPlateau(opt, {patience = 2}); ... s:step(val_loss)
      """) { call in
      let opt = try call.object(1, OptimizerBox.self, what: OptimLua.className).optimizer
      let o = try call.options(2)
      do {
        let p = try ReduceLROnPlateau(optimizer: opt, mode: try o?.string("mode") ?? "min", factor: try o?.number("factor") ?? 0.1,
                                      patience: try o?.int("patience") ?? 10, threshold: try o?.number("threshold") ?? 1e-4,
                                      thresholdMode: try o?.string("threshold_mode") ?? "rel", cooldown: try o?.int("cooldown") ?? 0,
                                      minLR: try o?.number("min_lr") ?? 0, eps: try o?.number("eps") ?? 1e-8)
        try o?.finish()
        call.push(object: p, className: plateauClass)
      } catch let e as OptimizerError {
        throw LuaFailure(e.message.replacingOccurrences(of: "ReduceLROnPlateau: ", with: ""))
      }
      return 1
    }
  }

  static var plateauMethods: [LuaMethod] {
    func check(_ call: LuaCall) throws -> ReduceLROnPlateau { try call.object(1, ReduceLROnPlateau.self, what: plateauClass) }
    return [
      LuaMethod("step", help: "s:step(metric) -> s\nOne step (epoch) with its metric (a number or a one-element tensor, e.g. the validation loss).") { call in
        let p = try check(call)
        let metric: Double
        if let t = call.stack.toObject(2, as: Tensor.self) {
          guard t.count == 1 else { throw LuaArgumentError(2, "metric must be a number or a one-element tensor, got \(ShapeText.format(t.shape))") }
          metric = Double(t.contiguous().toArray()[0])
        } else {
          metric = try call.number(2)
        }
        p.step(metric)
        call.stack.setTop(1)
        return 1
      },
      LuaMethod.returning("get_lr", help: "s:get_lr() -> number\nThe optimiser's current rate.") { try check($0).optimizer.lr },
      LuaMethod.returning("last_epoch", help: "s:last_epoch() -> integer\nSteps taken so far.") { try check($0).stepCount },
      LuaMethod("state_dict", help: "s:state_dict() -> {best =, num_bad_epochs =, cooldown_counter =, last_epoch =}") { call in
        let p = try check(call)
        call.stack.push(.table(array: [], fields: p.state.mapValues { LuaValue.number($0) }))
        return 1
      },
      LuaMethod("load_state_dict", help: "s:load_state_dict(t) -> s\nRestores the counters saved by s:state_dict() (the rate is the optimiser's state).") { call in
        let p = try check(call)
        try call.table(2)
        var values: [String: Double] = [:]
        for key in ["best", "num_bad_epochs", "cooldown_counter", "last_epoch"] {
          call.stack.rawGet(2, key)
          defer { call.stack.pop() }
          guard call.stack.type(-1) == .number, let v = call.stack.toNumber(-1) else { throw LuaArgumentError(2, "\(key) must be a number") }
          values[key] = v
        }
        do { try p.restore(values) } catch let e as OptimizerError { throw LuaArgumentError(2, e.message) }
        call.stack.setTop(1)
        return 1
      },
    ]
  }
}

/// The factors of a LambdaLR's Lua function, computed before the schedule asks for them
/// (from a throwing Swift frame, so a Lua error is reported, never unwound through Swift).
final class LuaFactors {
  let fn: LuaRef
  var values: [Int: Double] = [:]
  init(_ fn: LuaRef) { self.fn = fn }

  func evaluate(_ step: Int) throws {
    let v: Double = try fn.call(nresults: 1, pushArgs: { s in s.push(.integer(step)); return 1 }, readResults: { s in
      guard s.type(-1) == .number, let x = s.toNumber(-1), x.isFinite else {
        throw LuaFailure("lr_lambda(\(step)) must return a finite number, got \(s.type(-1) == .number ? "\(s.toNumber(-1) ?? .nan)" : s.typeName(-1))")
      }
      return x
    })
    values = [step: v] // only the step being computed is ever read
  }
}
