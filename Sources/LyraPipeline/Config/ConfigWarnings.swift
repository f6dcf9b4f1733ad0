import LyraBase

/// Settings a VEGA config carries that Lyra reads but cannot honour on this machine, each
/// said in one warning line instead of being dropped in silence (issue 19). A warning never
/// stops a run: the same config runs under VEGA on a GPU cluster and under Lyra on a CPU,
/// and the user should know what the second run leaves out.
///
/// What is warned about, and why it is not an error:
/// - a top-level section that `pipeline` does not name (VEGA's own examples keep unused
///   steps around, and VEGA ignores them); one whose name is close to `general`,
///   `pipeline` or a step is a typo and stays an error (`PipelineConfig`);
/// - `general.cluster` (several machines), `general.device_category` other than CPU;
/// - a step's `evaluator.device_evaluator` (latency on Ascend/ARM boards);
/// - a trainer's mixed-precision and GPU-only switches when they are on;
/// - a data-parallel train step (`DataParallelSteps`), a multi-task step's task section
///   that `pipe_step.tasks` leaves out (`MultiTaskPlan`).
/// - `trainer.optim` and `trainer.valid_freq` (VEGA's MF-ASC example): not keys of VEGA's
///   trainer, which ignores them (training with its `optimizer`, validating every
///   `valid_interval`); Lyra does the same and says so.
enum ConfigWarnings {
  /// Trainer keys that are accepted and have no effect on a CPU, with what they would do.
  static let gpuOnlyTrainerKeys: [(key: String, what: String)] = [
    ("amp", "mixed precision"), ("use_amp", "mixed precision"), ("fp16", "16-bit training"),
    ("opt_level", "apex mixed precision"), ("syncbn", "synchronised batch norm across GPUs"),
    ("distributed", "multi-GPU data parallelism"),
  ]

  /// Keys VEGA's own examples give a trainer that VEGA's trainer does not have, with the key
  /// that does what they seem to ask.
  static let notVEGATrainerKeys: [(key: String, meant: String)] = [("optim", "optimizer"), ("valid_freq", "valid_interval")]

  static func scan(general: JSON, steps: [(name: String, section: JSON)], warn: (String?, String) -> ConfigError) -> [ConfigError] {
    var out: [ConfigError] = []
    if let c = general["cluster"], c != .null, c.object?.isEmpty != true {
      out.append(warn("general.cluster", "VEGA's cluster keys are not used: for several machines give a PostgreSQL store (--store postgresql://… or general.store) and start `lyra worker --store …` on each; this run uses this machine"))
    }
    if let d = general["device_category"]?.string, d.uppercased() != "CPU" {
      out.append(warn("general.device_category", "'\(d)' is not available; Lyra runs on this machine's CPU"))
    }
    for (name, section) in steps {
      if let e = section["evaluator"], e["device_evaluator"] != nil {
        out.append(warn("\(name).evaluator.device_evaluator",
                        "latency on Ascend/ARM boards is not measured; set \(name).trainer.calc_latency: true for the latency on this CPU"))
      }
      guard let trainer = section["trainer"]?.object else { continue }
      for (key, meant) in notVEGATrainerKeys where trainer[key] != nil {
        out.append(warn("\(name).trainer.\(key)", "is not a trainer key and is ignored, as VEGA ignores it; did you mean trainer.\(meant)?"))
      }
      for (key, what) in gpuOnlyTrainerKeys {
        guard let v = trainer[key], isOn(v) else { continue }
        out.append(warn("\(name).trainer.\(key)", "\(what) is a GPU feature and is not used on the CPU; training runs in 32-bit floats"))
      }
    }
    out += DataParallelSteps.warnings(steps: steps, warn: warn)
    out += MultiTaskPlan.warnings(steps: steps, warn: warn)
    return out
  }

  /// `true`, a non-zero number or a non-empty string other than "O0"/"false" (apex's levels).
  static func isOn(_ v: JSON) -> Bool {
    switch v {
    case .bool(let b): return b
    case .number(let n): return n != 0
    case .string(let s): return !["", "o0", "false", "no", "off"].contains(s.lowercased())
    case .null: return false
    default: return true
    }
  }
}
