import LyraBase
import LyraNN
import LyraTensor

/// Builds the optimiser of a `{type, params}` section with `Optimizers.make`, which
/// takes PyTorch's snake_case keys (so VEGA's `weight_decay`, `betas` work) and rejects
/// unknown ones.
public enum OptimizerFactory {
  public static func make(_ spec: ComponentSpec, params: [Tensor], path: String = "trainer.optimizer") throws -> Optimizer {
    var options: [String: OptimizerOption] = [:]
    for (k, v) in spec.params {
      switch v {
      case .number(let d): options[k] = .number(d)
      case .bool(let b): options[k] = .flag(b)
      case .array(let a) where a.allSatisfy({ $0.double != nil }): options[k] = .numbers(a.compactMap(\.double))
      default: throw TrainerError.config(key: "\(path).params.\(k)", "expected a number, a flag or a list of numbers, got \(v.text)")
      }
    }
    do { return try Optimizers.make(name: spec.type, params: params, options: options) } catch {
      throw TrainerError.config(key: path, "\(error)")
    }
  }
}

/// Learning-rate schedules by PyTorch/VEGA name with PyTorch's parameter names:
/// StepLR {step_size, gamma 0.1}, MultiStepLR {milestones, gamma 0.1}, ExponentialLR {gamma},
/// CosineAnnealingLR {T_max, eta_min 0}, WarmupScheduler/WarmupLR {warmup_iters 5,
/// warmup_ratio 0.1, after_scheduler_config {type, params}} (VEGA's), ConstantLR,
/// CosineAnnealingWarmRestarts {T_0, T_mult 1, eta_min 0}, TimmScheduler (timm's step/cosine, see its type).
public enum SchedulerFactory {
  /// (params reader, the section's path) → schedule.
  typealias Factory = (ParamReader, String) throws -> LRScheduler

  static let factories = Registry<Factory>(kind: "lr_scheduler", [
    ("StepLR", { r, _ in StepLR(stepSize: try r.int("step_size", 1, min: 1), gamma: try r.double("gamma", 0.1)) }),
    ("MultiStepLR", { r, _ in MultiStepLR(milestones: try r.ints("milestones", []), gamma: try r.double("gamma", 0.1)) }),
    ("ExponentialLR", { r, _ in ExponentialLR(gamma: try r.double("gamma", 0.1)) }),
    ("CosineAnnealingLR", { r, _ in CosineAnnealingLR(tMax: try r.int("T_max", 1, min: 1), etaMin: try r.double("eta_min", 0)) }),
    ("WarmupScheduler", warmup), ("WarmupLR", warmup),
    ("ConstantLR", { _, _ in ConstantLR() }),
    ("CosineAnnealingWarmRestarts", { r, _ in
      CosineAnnealingWarmRestarts(t0: try r.int("T_0", 1, min: 1), tMult: try r.int("T_mult", 1, min: 1),
                                  etaMin: try r.double("eta_min", 0))
    }),
    ("TimmScheduler", TimmScheduler.make), // what TimmTrainerCallback's lr_scheduler becomes
  ])

  /// The schedule names, in the order above (the "did you mean" candidates).
  public static var names: [String] { factories.namesInOrder }

  public static func make(_ spec: ComponentSpec, path: String = "trainer.lr_scheduler") throws -> LRScheduler {
    let f = try factories.lookup(spec.type, candidates: names) { TrainerError.config(key: path, $0) }
    let r = ParamReader(spec.params, path: path + ".params")
    let s = try f(r, path)
    try r.finish()
    return s
  }

  /// `after_scheduler_config.by_epoch` of a WarmupScheduler section (nil when not given).
  /// VEGA steps the warm-up in the outer scheduler's unit and switches to the inner one's
  /// after it; its examples that set the inner one (auto_lane, spnas, segmentation_ea)
  /// count `warmup_iters` in that same unit, so Lyra steps the whole schedule in it: the
  /// trainer takes this value as `by_epoch` unless `lr_scheduler.by_epoch` says otherwise
  /// (then the two must agree).
  static func afterByEpoch(_ section: JSON, path: String) throws -> Bool? {
    guard let b = section["params"]?["after_scheduler_config"]?["by_epoch"] else { return nil }
    guard let v = b.bool else {
      throw TrainerError.config(key: "\(path).params.after_scheduler_config.by_epoch", "expected true or false, got \(b.text)")
    }
    return v
  }

  /// VEGA's WarmupScheduler: linear warm-up, then `after_scheduler_config` (a section of its own).
  static func warmup(_ r: ParamReader, _ path: String) throws -> LRScheduler {
    r.accept(["warmup_type", "by_epoch"])
    if let t = r.values["warmup_type"]?.string, t != "linear" {
      throw TrainerError.config("\(path).params.warmup_type: only 'linear' is supported, got '\(t)'")
    }
    let after = try r.raw("after_scheduler_config").map {
      try make(ComponentSpec($0, path: path + ".params.after_scheduler_config", extraKeys: ["by_epoch"]))
    }
    return WarmupLR(warmupSteps: try r.int("warmup_iters", 5, min: 0), startFactor: try r.double("warmup_ratio", 0.1), after: after)
  }
}

/// A training loss: model output and batch target → scalar tensor. It throws (never
/// traps) on shapes or labels it cannot take, so a bad trial fails instead of the process.
public typealias Loss = (_ output: Tensor, _ target: Tensor) throws -> Tensor

/// Losses by PyTorch name (VEGA registers torch.nn's): CrossEntropyLoss {label_smoothing}
/// (also as timm's LabelSmoothingCrossEntropy {smoothing 0.1} and VEGA's CrossEntropyLabelSmooth
/// {epsilon 0.1}),
/// MSELoss, L1Loss, BCEWithLogitsLoss, NLLLoss (log-probabilities, integer labels), BCELoss,
/// HuberLoss {delta 1}, SmoothL1Loss {beta 1}, KLDivLoss {log_target false; batchmean}.
/// Integer targets are converted to floats shaped
/// as the output for the regression and binary losses. Lua adds more with `register`.
public enum LossRegistry {
  public typealias Factory = (ParamReader) throws -> Loss
  static let factories = Registry<Factory>(kind: "loss", defaults())

  public static func register(_ name: String, _ factory: @escaping Factory) { factories.register(name, factory) }
  public static var names: [String] { factories.names }

  public static func make(_ spec: ComponentSpec, path: String = "trainer.loss") throws -> Loss {
    let f = try factories.lookup(spec.type) { TrainerError.config(key: path, $0) }
    let r = ParamReader(spec.params, path: path + ".params")
    let l = try f(r)
    try r.finish()
    return l
  }

  /// The target as floats of the output's shape (same element count required).
  static func floatTarget(_ output: Tensor, _ target: Tensor, _ name: String) throws -> Tensor {
    guard output.count == target.count else {
      throw TrainerError.input("\(name): output \(output.shape) and target \(target.shape) hold different counts")
    }
    let t = target.dtype == .float32 ? target : target.float()
    return t.shape == output.shape ? t : t.reshape(output.shape)
  }

  /// Cross-entropy of logits [N, C] against integer labels, with label smoothing `smoothing`
  /// (given under `key`, named in its range error).
  static func crossEntropy(smoothing: Double, key: String, _ r: ParamReader) throws -> Loss {
    let ls = Float(smoothing)
    guard ls >= 0 && ls <= 1 else { throw TrainerError.config("\(r.path).\(key): must be in [0, 1], got \(ls)") }
    return { out, target in
      guard out.rank == 2, out.shape[0] > 0 else { throw TrainerError.input("CrossEntropyLoss: expected logits [N, C], got \(out.shape)") }
      guard target.dtype == .int32, target.shape == [out.shape[0]] else {
        throw TrainerError.input("CrossEntropyLoss: expected \(out.shape[0]) integer labels, got \(target.dtype) \(target.shape)")
      }
      let c = out.shape[1]
      if let bad = target.toIntArray().first(where: { $0 < 0 || $0 >= c }) {
        throw TrainerError.input("CrossEntropyLoss: label \(bad) out of range for \(c) classes")
      }
      return Tensor.crossEntropy(out, target, labelSmoothing: ls)
    }
  }

  static func defaults() -> [String: Factory] {
    [
      "CrossEntropyLoss": { r in
        // VEGA's TensorFlow/MindSpore `sparse: true`: integer labels, which is what this loss takes.
        guard try r.bool("sparse", true) else {
          throw TrainerError.config("\(r.path).sparse: only sparse: true (integer class labels) is supported; the data sets give class indices")
        }
        return try crossEntropy(smoothing: r.double("label_smoothing", 0), key: "label_smoothing", r)
      },
      // timm's name (VEGA's TimmTrainerCallback configs) and VEGA's own, both the same
      // mixture as PyTorch's label_smoothing: (1 - s)·CE + s·mean over classes of −log p.
      "LabelSmoothingCrossEntropy": { r in try crossEntropy(smoothing: r.double("smoothing", 0.1), key: "smoothing", r) },
      "CrossEntropyLabelSmooth": { r in
        r.accept(["num_classes"]) // the logits' width says it
        return try crossEntropy(smoothing: r.double("epsilon", 0.1), key: "epsilon", r)
      },
      "MSELoss": { _ in { out, t in Tensor.mseLoss(out, try floatTarget(out, t, "MSELoss")) } },
      "L1Loss": { _ in { out, t in Tensor.l1Loss(out, try floatTarget(out, t, "L1Loss")) } },
      "BCEWithLogitsLoss": { _ in { out, t in Tensor.bceWithLogits(out, try floatTarget(out, t, "BCEWithLogitsLoss")) } },
      "NLLLoss": { _ in { out, t in try LyraNN.Loss.nll(out, t) } },
      "BCELoss": { _ in { out, t in try LyraNN.Loss.bce(out, try floatTarget(out, t, "BCELoss")) } },
      "HuberLoss": { r in
        let delta = Float(try r.double("delta", 1))
        guard delta > 0 else { throw TrainerError.config("\(r.path).delta: must be positive, got \(delta)") }
        return { out, t in try LyraNN.Loss.huber(out, try floatTarget(out, t, "HuberLoss"), delta: delta) }
      },
      "SmoothL1Loss": { r in
        let beta = Float(try r.double("beta", 1))
        guard beta >= 0 else { throw TrainerError.config("\(r.path).beta: must be >= 0, got \(beta)") }
        return { out, t in try LyraNN.Loss.smoothL1(out, try floatTarget(out, t, "SmoothL1Loss"), beta: beta) }
      },
      "KLDivLoss": { r in
        let logTarget = try r.bool("log_target", false)
        return { out, t in try LyraNN.Loss.klDiv(out, try floatTarget(out, t, "KLDivLoss"), reduction: .batchmean, logTarget: logTarget) }
      },
    ]
  }
}
