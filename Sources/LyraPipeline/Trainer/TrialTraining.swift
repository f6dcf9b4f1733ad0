import Foundation
import LyraBase
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
///
/// `run` goes through the phases, each in its own file: the sections
/// (TrialTrainingSections), the quota check before any data is read (TrialTrainingQuota),
/// building the model, the data and the trainer (TrialTrainingBuild), resuming
/// (TrialTrainingResume), the training loop, and the record and files the trial leaves
/// (TrialTrainingRecord).
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

  public static func run(section: JSON, general: JSON, taskRoot: String, spec: TrialSpec,
                         log: ((String) -> Void)? = nil) throws -> Outcome {
    let base = section["model"]?["model_desc"] ?? .object([:])
    let (desc, hps) = Binding.apply(spec.config, modelDescription: base)
    var books = Bookkeeping(spec: spec, desc: desc, hps: hps, taskRoot: taskRoot)
    var setup = try Setup(section: section, general: general, hps: hps, step: spec.step)
    if let reason = try setup.quotaRejection(desc: desc) { return books.rejected(reason) }
    if setup.config.type == "ScriptRunner" { // the user's Lua script trains it (ScriptRunner)
      return try ScriptRunner.run(setup: setup, trainer: trainerSection(section["trainer"], hps["trainer"]),
                                  dataset: datasetSection(section["dataset"] ?? .object([:]), hps["dataset"]), desc: desc, spec: spec, books: &books)
    }
    let built = try Build(setup: &setup, desc: desc, spec: spec, log: log)
    books.record.desc = built.description // with the input keys taken from the data: it rebuilds without them
    Resume.apply(to: built.trainer, spec: spec)
    let curve = Curve(recording: built.trainer)
    let report: TrainerReport
    do {
      report = try built.trainer.train()
    } catch let e as TrainerError where e.isTrialFailure {
      return books.failed(e)
    } catch let e as MemoryError { // this sample outgrew the machine; smaller ones may fit
      BufferCache.purge()
      return books.failed(message: "\(e)")
    }
    if let handed = built.trainer.handOffDescription { books.record.desc = handed }
    return books.finished(report, model: built.model, curve: curve.rows)
  }
}
