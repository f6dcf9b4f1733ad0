import Foundation
import LyraBase
import LyraSearch

/// The models a step hands to the next: `desc_<id>.json` / `hps_<id>.json` (and
/// `model_<id>.safetensors`) in a models folder (docs/architecture.md#a-pipeline-run, step 3).
struct HandedModel {
  var id: Int
  var desc: JSON
  var hps: JSON
  var weights: String?

  static func load(folder: String) throws -> [HandedModel] {
    let fm = FileManager.default
    guard let files = try? fm.contentsOfDirectory(atPath: folder) else {
      throw ConfigError(file: folder, line: nil, key: "models_folder", message: "cannot read the models folder")
    }
    var out: [HandedModel] = []
    for f in files.sorted() {
      guard let id = TrialFile.description.id(in: f).flatMap({ Int($0) }) else { continue }
      let desc = try JSON.parse(fm.contents(atPath: folder + "/" + f) ?? Data())
      let hps = (fm.contents(atPath: TrialFile.hyperparameters.path(id, in: folder))).flatMap { try? JSON.parse($0) } ?? .object([:])
      let w = TrialFile.weights.path(id, in: folder)
      out.append(HandedModel(id: id, desc: desc, hps: hps, weights: fm.fileExists(atPath: w) ? w : nil))
    }
    out.sort { $0.id < $1.id }
    return out
  }
}

/// TrainPipeStep: fully trains each model of `models_folder` (default: the previous
/// step's output) — or the step's own `model.model_desc` — with this step's trainer,
/// the model's searched hyperparameters merged over it.
///
/// Resume: a model counts as trained only when its record is in the trial store
/// (`trained.<step>.<id>`, written after its last epoch). Why not the performance file:
/// PerformanceSaver writes it after EVERY epoch, so a kill after epoch 1 used to resume
/// as "finished" with the epoch-1 model. A model without a record trains again from its
/// own last checkpoint (`workers/<step>/<id>/checkpoint.safetensors`, TaskLayout): the epochs left,
/// with the same batches and seeds as an uninterrupted run.
struct TrainStep {
  let pipeline: Pipeline
  let step: PipelineConfig.Step
  let previous: String?

  func models() throws -> [HandedModel] {
    let folder = step.section["pipe_step"]?["models_folder"]?.string
      ?? step.section["model"]?["models_folder"]?.string
      ?? (step.section["model"]?["model_desc"] == nil && step.section["model"]?["model_desc_file"] == nil ? previous.map { pipeline.output.layout.stepFolder($0) } : nil)
    if let folder {
      let list = try HandedModel.load(folder: folder)
      guard !list.isEmpty else { throw pipeline.config.error("\(step.name).pipe_step.models_folder", "no models (desc_<id>.json) in \(folder)") }
      return list
    }
    // A description file an earlier step wrote (ModelFiles left it for now).
    if let f = step.section["model"]?["model_desc_file"]?.string {
      guard FileManager.default.fileExists(atPath: f) else {
        throw pipeline.config.error("\(step.name).model.model_desc_file", "'\(f)' does not exist (an earlier step did not write it)")
      }
      return [HandedModel(id: 0, desc: try ModelFiles.description(f), hps: .object([:]), weights: nil)]
    }
    guard let desc = step.section["model"]?["model_desc"] else {
      throw pipeline.config.error("\(step.name).model", "TrainPipeStep needs model.model_desc or a models_folder (or an earlier step)")
    }
    return [HandedModel(id: 0, desc: desc, hps: .object([:]), weights: nil)]
  }

  func run() throws -> StepResult {
    var records: [TrialRecord] = []
    let handed = try models()
    let fileHps = try hpsFromFile()
    for m in handed {
      // A resumed run keeps what trained; a model that failed (out of memory, diverged) is
      // trained again, since the user resumes after changing what made it fail.
      if let old = try pipeline.store.meta(recordKey(m.id)).flatMap(TrialRecord.init(json:)), old.status == .finished {
        records.append(old)
        pipeline.log("[\(step.name)] model \(m.id) already trained")
        continue
      }
      // The searched hyperparameters, minus the search budget (this step's epochs rule).
      let searched = fileHps.map { ConfigRefs.merge($0, m.hps) } ?? m.hps
      var hps = searched
      if var t = hps["trainer"]?.object {
        t.removeValue(forKey: "epochs")
        hps = ConfigRefs.merge(hps, .object(["trainer": .object(t)]))
      }
      var section = step.section.object ?? [:]
      var model = section["model"]?.object ?? [:] // keeps pretrained_model_file, head (ModelFiles)
      model["model_desc"] = m.desc
      model.removeValue(forKey: "model_desc_file")
      section["model"] = .object(model)
      section["trainer"] = CompressionAlgorithms.trainerForCompressed(TrialTraining.trainerSection(section["trainer"], hps["trainer"]),
                                                                     step: step, config: pipeline.config)
      // `pipe_step.load_weights: true` continues from the handed model's weights (a pruned
      // or quantised model's fine-tuning); false (VEGA's default) trains from scratch.
      if step.section["pipe_step"]?["load_weights"]?.bool == true, let w = m.weights {
        var t = section["trainer"]?.object ?? [:]
        t["pretrained_model_file"] = .string(w)
        section["trainer"] = .object(t)
      }
      section["dataset"] = TrialTraining.datasetSection(section["dataset"] ?? .object(["type": .string("FashionMnist")]), hps["dataset"])
      let spec = TrialSpec(step: step.name, trial: m.id, config: [:], checkpointDir: pipeline.output.layout.workerFolder(step.name, m.id))
      pipeline.log("[\(step.name)] training model \(m.id)")
      let log = pipeline.log
      let name = step.name
      let console = pipeline.console
      let out = try TrialTraining.run(section: .object(section), general: pipeline.config.general, taskRoot: pipeline.root, spec: spec) {
        // epoch summaries, not every step; and callbacks' own notes ("[AutoGateGrdaS1TrainerCallback] kept ...")
        if $0.contains(" valid ") || $0.hasPrefix("[") { log("[\(name)] " + $0) }
        console.update("[\(name)] model \(m.id): " + $0)
      }
      console.clear()
      var r = out.record
      r.hps = searched
      r.desc = m.desc
      try? pipeline.output.writeTrialFiles(r)
      try pipeline.store.setMeta(recordKey(m.id), r.json)
      TestKillSwitch.point(step: step.name, .trial)
      records.append(r)
      pipeline.log("[\(step.name)] model \(m.id): " + (out.result.status == .completed ? Pipeline.describe(r)
        : out.result.status.rawValue + (r.message.map { ": " + $0 } ?? "")))
    }
    // Nothing trained: the next step would inherit nothing (a fine_tune whose output folder
    // holds no weights), so the run stops here with the reason, as a search step does.
    if !records.isEmpty, records.allSatisfy({ $0.status != .finished }) {
      let first = records.first { $0.message != nil }?.message ?? "no message"
      let what = records.count == 1 ? "model \(records[0].workerID) failed" : "all \(records.count) models failed; the first error"
      throw pipeline.config.error(step.name, "\(what): \(first)")
    }
    return StepResult(records: records, chosen: records.filter { $0.status == .finished })
  }

  /// The store key of a trained model's record.
  func recordKey(_ id: Int) -> String { "trained.\(step.name).\(id)" }
}
