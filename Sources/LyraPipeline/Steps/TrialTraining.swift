import Foundation
import LyraBase
import LyraNets
import LyraNN
import LyraSearch
import LyraSpace
import LyraTensor

/// Trains one trial of a step from data only (the step's config and the trial's sampled
/// values), so the same code runs in the pipeline process and in `lyra worker`s.
///
/// Binding (docs/config.md#search_space): `network.*` keys go into the model description, everything
/// else (`trainer.*`, `dataset.*`) into the hyperparameters merged over the step's
/// sections. The search budget is the number of epochs. A trial resumed from another
/// (ASHA promotion, PBT exploit) starts from that trial's last checkpoint; a trial run
/// again after a crash starts from its own.
public enum TrialTraining {
  /// The executor kind the pipeline registers.
  public static let kind = "lyra.trainer"

  /// The step config stored for workers: the step section, `general`, the task folder.
  public static func stepConfig(section: JSON, general: JSON, taskRoot: String, step: String) -> JSON {
    .object(["section": section, "general": general, "task_root": .string(taskRoot), "step": .string(step)])
  }

  public static func registerExecutor() {
    TrialExecutors.register(kind: kind) { stored in
      let section = stored["section"] ?? .object([:])
      let general = stored["general"] ?? .object([:])
      let root = stored["task_root"]?.string ?? "."
      try Plugins.load(general) // a worker process registers the plugins' names before its first trial
      return { spec in try run(section: section, general: general, taskRoot: root, spec: spec).result }
    }
  }

  public struct Outcome {
    public var result: TrialResult
    public var record: TrialRecord
  }

  /// The step's trainer section with a trial's sampled `trainer.*` values merged in. When
  /// a sample switches a component's type (`trainer.optimizer.type: Adam` over a base
  /// SGD), the base `params` of that component are dropped: SGD's momentum means nothing
  /// to Adam, and the sampled params (and the new type's defaults) are what the trial meant.
  public static func trainerSection(_ base: JSON?, _ sampled: JSON?) -> JSON {
    var b = base?.object ?? [:]
    for part in ["optimizer", "lr_scheduler", "loss"] {
      guard let newType = sampled?[part]?["type"]?.string, var old = b[part]?.object,
            let oldType = old["type"]?.string, oldType != newType else { continue }
      old.removeValue(forKey: "params")
      b[part] = .object(old)
    }
    return ConfigRefs.merge(.object(b), sampled ?? .object([:]))
  }

  /// hps.dataset keys become the dataset's `common` keys (VEGA: `dataset.batch_size`).
  static func datasetSection(_ base: JSON, _ hps: JSON?) -> JSON {
    guard let h = hps?.object, !h.isEmpty else { return base }
    var o = base.object ?? [:]
    var common = o["common"]?.object ?? [:]
    for (k, v) in h {
      if ["type", "common", "train", "val", "test"].contains(k) { o[k] = ConfigRefs.merge(o[k], v) } else { common[k] = v }
    }
    o["common"] = .object(common)
    return .object(o)
  }

  public static func run(section: JSON, general: JSON, taskRoot: String, spec: TrialSpec,
                         log: ((String) -> Void)? = nil) throws -> Outcome {
    let base = section["model"]?["model_desc"] ?? .object([:])
    let (desc, hps) = Binding.apply(spec.config, modelDescription: base)
    let started = Date()
    var record = TrialRecord(step: spec.step, workerID: spec.trial, desc: desc, hps: hps, objectives: [])
    record.startTime = started
    let output = try? TaskOutput(root: taskRoot)

    let trainerJSON = trainerSection(section["trainer"], hps["trainer"])
    let dataJSON = datasetSection(section["dataset"] ?? .object(["type": .string("FashionMnist")]), hps["dataset"])
    let config = try TrainerConfig(json: trainerJSON, path: "\(spec.step).trainer")
    let data = try DatasetSection(json: dataJSON, path: "\(spec.step).dataset")
    // The sample shape for the quota without reading the data when the type is known
    // (a rejected sample should cost no I/O); else from the training set, read below.
    let quotaText = general["quota"]?.string ?? section["quota"]?.string
    var sampleShape = quotaText == nil ? nil : try data.sampleShape()

    // A compression trial (PruneEA, QuantEA) starts from the trained model, made smaller.
    let compressed = try CompressionAlgorithms.compressed(section: section, hps: hps, step: spec.step)

    // Quota before training (VEGA's sample filter).
    if let q = quotaText {
      let quota = try Quota(q)
      let shape = [1] + (sampleShape ?? [1, 28, 28])
      let verdict = compressed.map { quota.check($0, inputShape: shape) } ?? quota.check(description: desc, inputShape: shape)
      if !verdict.passed {
        record.status = .failed
        record.message = "quota: \(verdict.reason ?? "rejected")"
        record.endTime = Date()
        try? output?.writeTrialFiles(record)
        return Outcome(result: TrialResult([:], status: .pruned), record: record)
      }
    }

    let train = try data.loader(.train)
    if sampleShape == nil { sampleShape = train.dataset.count > 0 ? train.dataset.item(at: 0).shape : try data.sampleShape() }

    // The initial weights come from the trainer's seed alone, as in VEGA: a trial gives the
    // same result whether it runs first in a fresh process (after a resume) or after others.
    Tensor.manualSeed(UInt64(config.seed))
    let (model, fullDesc) = try compressed.map { ($0, $0.describe()) }
      ?? NetworkRegistry.buildDescribed(desc, path: "\(spec.step).model.model_desc", input: sampleShape)
    record.desc = fullDesc // with the input keys taken from the data: it rebuilds without them
    // Validation: a `val` section or a `train_portion` split when given, else the test split.
    let useVal = !(data.modes["val"]?.isEmpty ?? true) || (data.common["train_portion"]?.double ?? 1) < 1
    let valid = try useVal ? data.loader(.val) : data.loader(.test)
    let trainer = try Trainer(config: config, model: model, train: train, valid: valid, workDir: spec.checkpointDir,
                              trialID: String(spec.trial))
    if let log { trainer.log = log }
    if TestKillSwitch.armed(step: spec.step) { trainer.add(TestKillCallback(step: spec.step)) }
    if let b = spec.budget { trainer.epochs = max(1, Int(b.rounded(.up))) }
    let own = trainer.checkpointPath.map { FileManager.default.fileExists(atPath: $0) } ?? false
    if own, let p = trainer.checkpointPath {
      trainer.resume(from: p) // a restarted attempt continues from its own last epoch
    } else if let from = spec.resumeFromCheckpointDir {
      let p = (from as NSString).appendingPathComponent(TrainerCheckpoint.fileName)
      if FileManager.default.fileExists(atPath: p) { trainer.resume(from: p) }
    }
    var curve: [JSON] = []
    trainer.reporter = { r in
      var row: [String: JSON] = ["epoch": JSON(r.epoch)]
      for (k, v) in r.performance where v.isFinite { row[k] = .number(v) }
      curve.append(.object(row))
    }
    let report: TrainerReport
    do {
      report = try trainer.train()
    } catch let e as TrainerError where e.isTrialFailure {
      record.status = .failed
      record.message = "\(e)"
      record.endTime = Date()
      try? output?.writeTrialFiles(record)
      return Outcome(result: .failed(), record: record)
    }
    record.performance = report.best
    if hps["quant"] != nil || model.namedModules().contains(where: { $0.module.typeName.hasPrefix("Quant") }) {
      // QuantEA's size objective: KiB with each layer's weights at its searched width.
      record.performance["model_size"] = Double(Quantization.sizeBits(model)) / 8 / 1024
      // The deployable form: integer weights with their scales (QuantizedCheckpoint).
      try? QuantizedCheckpoint.save(model, to: (spec.checkpointDir as NSString).appendingPathComponent("model_\(spec.trial).int.safetensors"))
    }
    record.objectives = report.objectives.sorted { $0.key < $1.key }.map { Objective($0.key, $0.value) }
    record.epochs = Double(report.epochs)
    record.endTime = Date()
    let weights = (spec.checkpointDir as NSString).appendingPathComponent("model_\(spec.trial).safetensors")
    if FileManager.default.fileExists(atPath: weights) { record.weightsFile = weights }
    try? output?.writeTrialFiles(record)
    let curvePath = output.map { "\($0.workerFolder(spec.step, spec.trial))/curve.json" }
    if let curvePath { try? Data(JSON.array(curve).description.utf8).write(to: URL(fileURLWithPath: curvePath), options: .atomic) }
    return Outcome(result: TrialResult(record.performance), record: record)
  }
}
