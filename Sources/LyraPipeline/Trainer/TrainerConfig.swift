import LyraBase
import LyraNN

/// The `trainer:` section of a VEGA config, parsed strictly: every key is one VEGA
/// knows (vega/trainer/conf.py) and unknown keys are an error naming the closest one.
///
/// Defaults are VEGA's Classification defaults except the optimiser's rate:
/// `epochs 1, valid_interval 1, seed 0, report_freq 10, optimizer Adam,
/// lr_scheduler MultiStepLR {milestones [75, 150], gamma 0.5} stepped per epoch,
/// loss CrossEntropyLoss, metric accuracy (topk [1, 5]), save/load_checkpoint true,
/// call_metrics_on_train true, model_statistics true, calc_latency false`.
/// VEGA's Adam default rate is 0.1, which makes Adam diverge on most models; Lyra uses
/// PyTorch's 1e-3 when `optimizer` is absent or names no `lr`.
///
/// Keys that only concern GPUs or other backends (`cuda`, `amp`, `syncbn`, `distributed`,
/// ...) are accepted so VEGA configs run unchanged, and have no effect.
public struct TrainerConfig: Equatable {
  /// `Trainer`, or `ScriptRunner`: each trial runs the Lua script `script` (ScriptRunner).
  public var type = "Trainer"
  public var script: String?
  public var epochs = 1
  public var optimizer = ComponentSpec(type: "Adam", params: ["lr": .number(1e-3)])
  /// nil: a constant rate (`lr_scheduler: null`).
  public var lrScheduler: ComponentSpec? = ComponentSpec(type: "MultiStepLR", params: ["milestones": .array([.number(75), .number(150)]), "gamma": .number(0.5)])
  /// Step the scheduler after each epoch (VEGA's `by_epoch`, default) or after each batch.
  public var schedulerByEpoch = true
  public var loss = ComponentSpec(type: "CrossEntropyLoss")
  /// One metric section or a list (kept as JSON; `MetricSet(json:)` builds it).
  public var metric: JSON = .object(["type": .string("accuracy")])
  public var validInterval = 1
  public var seed: UInt64 = 0
  /// Max L2 norm of all gradients together (`clip_grad_norm_`); nil: no clipping.
  public var gradClip: Double?
  /// VEGA's `mixup`: train on mixed pairs of samples (`Mixup`).
  public var mixup = false
  /// Extra callbacks by registry name.
  public var callbacks: [String] = []
  /// Steps between progress lines.
  public var reportFreq = 10
  public var withValid = true
  public var withTrain = true
  /// Stop an epoch after this many steps (quick trials); nil: the whole loader.
  public var maxTrainSteps: Int?
  public var saveCheckpoint = true
  /// Resume from `checkpoint.safetensors` in the work directory when one is there.
  public var loadCheckpoint = true
  public var calcLatency = false
  public var modelStatistics = true
  public var callMetricsOnTrain = true
  /// The description ModelBuilder builds when no model is given.
  public var modelDesc: JSON?
  /// Weights loaded into the model before training: a PyTorch .pth, safetensors or ONNX
  /// file (`WeightsFile`), mapped onto the model by name, then by order and shape.
  public var pretrainedModelFile: String?
  /// The key it was given under (`init_model_file` is VEGA's other name), for messages.
  public var pretrainedModelKey = "pretrained_model_file"
  /// Name prefixes not loaded from `pretrainedModelFile` (VEGA's `model.head`: the layer a
  /// fine-tuning replaces).
  public var pretrainedHead: [String] = []
  /// Whether a model tensor the file does not fill, or a shape mismatch, is an error.
  /// Default as VEGA's `load_state_dict`: strict without a head, tolerant with one.
  public var strictLoad: Bool?
  /// The performance key that decides "best" (default: the first metric's main key).
  public var perfsCmpKey: String?
  /// `max` or `min` for `perfsCmpKey` (default: that metric's objective).
  public var perfsCmpMode: String?
  /// A PBT search's optimiser schedule to replay per epoch (HpsSchedule, HpsScheduleReplay).
  public var hpsSchedule: HpsSchedule?

  /// AutoFIS's keys (`c`, `mu`, `struc_optim`, `net_optim`, `gate_warmup_epochs`); nil: none given.
  public var ctr: CTRTrainerKeys?

  /// `limits` (VEGA's flop_range/param_range) as a quota expression (`limitsQuota`).
  public var limits: String?
  /// DARTS' keys: unrolled, darts_template_file, drop_path_prob, arch_optim (DartsTrainerCallback).
  public var darts = DartsTrainerSettings()

  public init() {}

  static let ignored = ["cuda", "multi_task", "amp", "use_amp", "syncbn", "distributed", "lazy_built", "save_model_desc", "train_verbose",
                        "valid_verbose", "train_report_steps", "valid_report_steps", "report_on_epoch", "report_on_valid",
                        "get_train_metric_after_epoch", "opt_level", "keep_batchnorm_fp32", "task", "is_detection_trainer",
                        "save_ext_model", "save_slave_model", "eval_per_epoch", "calc_params_each_epoch", "load_weights_file", "fp16", "hps_file",
                        "optim", "valid_freq", "save_weight",
                        "scale", "node_num", "range"] // ESR-EA's trainer keys: the dataset and the description carry them

  /// Parses a trainer section; `path` prefixes messages ("nas.trainer").
  public init(json: JSON, path: String = "trainer") throws {
    var unknown: [KeyedError] = []
    try self.init(json: json, path: path, unknownKeys: &unknown)
    if let first = unknown.first { throw TrainerError.keyed(first) }
  }

  /// Every key read and checked, but the unknown keys are handed back in `unknownKeys`
  /// (all of them) rather than thrown, so a check names each and still checks the
  /// components (`StepCheck`: a misspelt `epoch` and a misspelt loss are two problems).
  init(json: JSON, path: String, unknownKeys: inout [KeyedError]) throws {
    let r = try ParamReader(json, path: path)
    r.accept(TrainerConfig.ignored)
    type = try r.string("type", type)
    guard type == "Trainer" || type == "ScriptRunner" else {
      throw TrainerError.config(key: "\(path).type", "expected Trainer or ScriptRunner (a Lua training script), got '\(type)'")
    }
    script = try r.optionalString("script")
    if type == "ScriptRunner" { r.accept(["params"]) } else if script != nil {
      throw TrainerError.config(key: "\(path).script", "only a ScriptRunner trainer runs a script (set type: ScriptRunner)")
    }
    epochs = try r.int("epochs", epochs, min: 0)
    if var o = r.raw("optimizer") {
      // VEGA merges a partial optimizer section over the default one: `{params: {lr: ...}}`
      // (what a search over trainer.optimizer.params.lr produces) keeps the default type.
      if var obj = o.object, obj["type"] == nil {
        obj["type"] = .string(optimizer.type)
        o = .object(obj)
      }
      var spec = try ComponentSpec(o, path: path + ".optimizer")
      if spec.params["lr"] == nil { spec.params["lr"] = .number(1e-3) }
      optimizer = spec
    }
    if r.values.keys.contains("lr_scheduler") {
      if let s = r.raw("lr_scheduler") {
        lrScheduler = try ComponentSpec(s, path: path + ".lr_scheduler", extraKeys: ["by_epoch"])
        if let b = s["by_epoch"] {
          guard let v = b.bool else { throw TrainerError.config(key: "\(path).lr_scheduler.by_epoch", "expected true or false, got \(b.text)") }
          schedulerByEpoch = v
        }
        if let v = try SchedulerFactory.afterByEpoch(s, path: path + ".lr_scheduler") {
          if s["by_epoch"] != nil, v != schedulerByEpoch {
            throw TrainerError.config(key: "\(path).lr_scheduler.params.after_scheduler_config.by_epoch",
                                      "\(v) differs from lr_scheduler.by_epoch (\(schedulerByEpoch)); Lyra steps warm-up and the scheduler after it in one unit: give both the same value")
          }
          schedulerByEpoch = v
        }
      } else {
        lrScheduler = nil
      }
    }
    if let l = r.raw("loss") { loss = try ComponentSpec(l, path: path + ".loss") }
    if let m = r.raw("metric") { metric = m }
    validInterval = try r.int("valid_interval", validInterval, min: 0)
    seed = UInt64(try r.int("seed", 0, min: 0))
    gradClip = try r.optionalDouble("grad_clip")
    mixup = try r.bool("mixup", mixup)
    if let g = gradClip, !(g > 0) { throw TrainerError.config(key: "\(path).grad_clip", "must be positive, got \(g)") }
    if let c = r.raw("callbacks") {
      if let s = c.string { callbacks = [s] } else if let a = c.array, a.allSatisfy({ $0.string != nil }) {
        callbacks = a.compactMap(\.string)
      } else { throw TrainerError.config(key: "\(path).callbacks", "expected a name or a list of names, got \(c.text)") }
    }
    reportFreq = try r.int("report_freq", reportFreq, min: 1)
    withValid = try r.bool("with_valid", withValid)
    withTrain = try r.bool("with_train", withTrain)
    maxTrainSteps = try r.optionalInt("max_train_steps", min: 1)
    saveCheckpoint = try r.bool("save_checkpoint", saveCheckpoint)
    loadCheckpoint = try r.bool("load_checkpoint", loadCheckpoint)
    calcLatency = try r.bool("calc_latency", calcLatency)
    modelStatistics = try r.bool("model_statistics", modelStatistics)
    callMetricsOnTrain = try r.bool("call_metrics_on_train", callMetricsOnTrain)
    modelDesc = r.raw("model_desc")
    pretrainedModelFile = try r.optionalString("pretrained_model_file")
    if pretrainedModelFile == nil, let f = try r.optionalString("init_model_file") { pretrainedModelFile = TrainerConfig.initModelFile(f); pretrainedModelKey = "init_model_file" }
    if let h = r.raw("pretrained_head") {
      if let s = h.string { pretrainedHead = [s] } else if let a = h.array, a.allSatisfy({ $0.string != nil }) {
        pretrainedHead = a.compactMap(\.string)
      } else if h != .null { throw TrainerError.config(key: "\(path).pretrained_head", "expected a name prefix or a list of them, got \(h.text)") }
    }
    strictLoad = try r.raw("strict_load") == nil ? nil : r.bool("strict_load", true)
    perfsCmpKey = try r.optionalString("perfs_cmp_key")
    perfsCmpMode = try r.optionalString("perfs_cmp_mode")
    if let m = perfsCmpMode, m != "max", m != "min" {
      throw TrainerError.config(key: "\(path).perfs_cmp_mode", "expected max or min, got '\(m)'")
    }
    if let h = r.raw("hps_schedule"), h != .null { hpsSchedule = try HpsSchedule(json: h, path: "\(path).hps_schedule") }
    limits = try TrainerConfig.limitsQuota(r.raw("limits"), path: "\(path).limits")
    ctr = try CTRTrainerKeys.read(r, path: path)
    if let l = ctr?.netLR { optimizer.params["lr"] = .number(l) }
    darts = try DartsTrainerSettings(r, path: path)
    unknownKeys = r.unknownKeys
  }
}
