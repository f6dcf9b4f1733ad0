import LyraBase
import LyraNN

/// VEGA's `TimmTrainerCallback` (vega/trainer/callbacks/timm_trainer_callback.py) hands
/// the trainer section to timm: `optimizer.params` and `lr_scheduler.params` in the form
/// of timm's train.py arguments (no `type`), the model as `trainer.model_desc` for
/// `timm.create_model`, the ImageNet loader as `trainer.dataset`. A step whose
/// `trainer.callbacks` names it is rewritten here into Lyra's form before the config is
/// checked, so every other part reads one form:
///
/// - `optimizer.params {opt, lr, opt_eps, momentum, weight_decay}` → `{type, params}`:
///   sgd/nesterov → SGD (nesterov), momentum → SGD, adam → Adam, adamw → AdamW,
///   rmsprop and rmsproptf → RMSprop (alpha 0.9, as timm; rmsproptf's TensorFlow form —
///   eps inside the root, the square average starting at 1 — is approximated by
///   PyTorch's, a warning says so), adadelta → Adadelta. timm's train.py defaults fill
///   what is missing (opt sgd, lr 0.01, momentum 0.9, weight_decay 1e-4, opt_eps 1e-8).
/// - `lr_scheduler.params {sched, ...}` → `{type: TimmScheduler, params, by_epoch: true}`.
/// - `trainer.model_desc {model_name, ...}` → the step's `model.model_desc` with
///   `type: EfficientNet` (timm's keys, read by `EfficientNet`).
/// - `trainer.dataset` (timm's loader): its `batch_size` becomes the step dataset's when
///   that gives none; the ImageNet folder and augmentation keys are not applied (the step's
///   `dataset` section decides the data), a warning names them.
/// - `model_ema` is not applied (a warning); `prefetcher`, `model_name`, `ckpt_name`
///   (timm's loader option and file names) are dropped.
///
/// Unknown keys in any of these sections are errors naming the known ones.
enum TimmTrainerSection {
  static let callback = "TimmTrainerCallback"
  static let optimizerKeys = ["opt", "lr", "opt_eps", "momentum", "weight_decay"]
  static let loaderKeys = ["data_dir", "remote_data_dir", "input_size", "batch_size", "reprob", "remode", "recount",
                           "color_jitter", "aa", "interpolation", "mean", "std", "workers"]
  static let emaKeys = ["model_ema_decay", "model_ema_force_cpu"]
  /// timm `opt` → (Lyra optimizer, reads momentum, reads eps, extra params).
  static let optimizers: [(String, String, Bool, Bool, [String: JSON])] = [
    ("sgd", "SGD", true, false, ["nesterov": .bool(true)]), ("nesterov", "SGD", true, false, ["nesterov": .bool(true)]),
    ("momentum", "SGD", true, false, [:]), ("adam", "Adam", false, true, [:]), ("adamw", "AdamW", false, true, [:]),
    ("rmsprop", "RMSprop", true, true, ["alpha": .number(0.9)]), ("rmsproptf", "RMSprop", true, true, ["alpha": .number(0.9)]),
    ("adadelta", "Adadelta", false, true, [:]),
  ]

  struct Result {
    var section: JSON
    var problems: [ConfigError] = []
    var warnings: [ConfigError] = []
  }

  /// The step section in Lyra's form when its trainer names TimmTrainerCallback; otherwise unchanged.
  static func translate(_ section: JSON, step: String, fail: (String?, String) -> ConfigError) -> Result {
    guard var s = section.object, var t = s["trainer"]?.object, let names = t["callbacks"],
          (names.string == callback || names.array?.contains(.string(callback)) == true) else { return Result(section: section) }
    var out = Result(section: section)
    let tp = "\(step).trainer"
    if let a = names.array {
      let rest = a.filter { $0 != .string(callback) }
      t["callbacks"] = rest.isEmpty ? nil : .array(rest)
    } else {
      t["callbacks"] = nil
    }
    func unknown(_ o: [String: JSON], _ known: [String], _ path: String) {
      for k in o.keys.sorted() where !known.contains(k) {
        out.problems.append(fail("\(path).\(k)", "unknown key '\(k)' for TimmTrainerCallback\(Suggest.hint(k, in: known)); known: \(known.joined(separator: ", "))"))
      }
    }
    if let o = t["optimizer"]?.object, o["type"] == nil {
      let p = o["params"]?.object ?? [:]
      unknown(o, ["params"], "\(tp).optimizer")
      unknown(p, optimizerKeys, "\(tp).optimizer.params")
      let opt = p["opt"]?.string ?? "sgd"
      if let (_, type, usesMomentum, usesEps, extra) = optimizers.first(where: { $0.0 == opt.lowercased() }) {
        var params = extra
        params["lr"] = p["lr"] ?? .number(0.01)
        params["weight_decay"] = p["weight_decay"] ?? .number(1e-4)
        if usesMomentum { params["momentum"] = p["momentum"] ?? .number(0.9) }
        if usesEps { params["eps"] = p["opt_eps"] ?? .number(1e-8) }
        t["optimizer"] = .object(["type": .string(type), "params": .object(params)])
        if opt.lowercased() == "rmsproptf" {
          out.warnings.append(fail("\(tp).optimizer.params.opt", "rmsproptf runs as PyTorch's RMSprop (alpha 0.9): TensorFlow's eps inside the square root and square average starting at 1 are not reproduced"))
        }
      } else {
        out.problems.append(fail("\(tp).optimizer.params.opt", "timm optimizer '\(opt)' is not supported; known: \(optimizers.map(\.0).joined(separator: ", "))"))
      }
    }
    if let o = t["lr_scheduler"]?.object, o["type"] == nil {
      unknown(o, ["params", "by_epoch"], "\(tp).lr_scheduler")
      var p = o["params"]?.object ?? [:]
      unknown(p, TimmScheduler.keys.filter { $0 != "epochs" }, "\(tp).lr_scheduler.params")
      p["epochs"] = t["epochs"] ?? .number(1) // timm's create_scheduler reads the trainer's epochs
      t["lr_scheduler"] = .object(["type": .string("TimmScheduler"), "params": .object(p), "by_epoch": .bool(true)])
    }
    if let m = t["model_desc"]?.object, m["type"] == nil, m["model_name"] != nil {
      if s["model"] != nil {
        out.problems.append(fail("\(tp).model_desc", "the step has a model section too; give the model once"))
      } else {
        s["model"] = .object(["model_desc": .object(m.merging(["type": .string("EfficientNet")]) { a, _ in a })])
        t["model_desc"] = nil
      }
    }
    if let d = t["dataset"] {
      let o = d.object ?? [:]
      unknown(o, loaderKeys, "\(tp).dataset")
      if let b = o["batch_size"], s["dataset"]?["common"]?["batch_size"] == nil {
        var ds = s["dataset"]?.object ?? [:]
        var common = ds["common"]?.object ?? [:]
        common["batch_size"] = b
        ds["common"] = .object(common)
        s["dataset"] = .object(ds)
      }
      let unused = o.keys.filter { $0 != "batch_size" && loaderKeys.contains($0) }.sorted()
      if !unused.isEmpty {
        out.warnings.append(fail("\(tp).dataset", "timm's loader keys \(unused.joined(separator: ", ")) are not applied; the step's dataset section decides the data and its transforms"))
      }
      t["dataset"] = nil
    }
    if let e = t["model_ema"] {
      unknown(e.object ?? [:], emaKeys, "\(tp).model_ema")
      out.warnings.append(fail("\(tp).model_ema", "no weight average is kept: the trained weights are evaluated and saved as they are"))
      t["model_ema"] = nil
    }
    for k in ["prefetcher", "model_name", "ckpt_name"] { t[k] = nil }
    s["trainer"] = .object(t)
    out.section = .object(s)
    return out
  }
}
