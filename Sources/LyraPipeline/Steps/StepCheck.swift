import Foundation
import LyraBase
import LyraNets
import LyraSearch
import LyraSpace

/// The check of one step's contents before any step runs: the step's own readers (search
/// algorithm factory, search space, trainer and its components, dataset loaders, model
/// builder, evaluator) run as the step would run them, with nothing trained or read
/// (the dataset's files must only exist). Every problem is kept, as a `ConfigError` with
/// the key's line.
///
/// A search step's sections are checked with one sampled trial merged in, as a trial
/// sees them, so a search space key that lands on an unknown trainer key is found too.
/// A train or benchmark step checks its own sections; the models an earlier step hands
/// on do not exist yet.
struct StepCheck {
  let config: PipelineConfig
  let step: PipelineConfig.Step
  let seed: UInt64

  func problems() -> [ConfigError] {
    switch step.type {
    case "SearchPipeStep": return search()
    case "TrainPipeStep": return sections(hps: .object([:]), desc: step.section["model"]?["model_desc"])
    case MultiTaskPlan.type: return multiTask()
    default: return benchmark()
    }
  }

  var baseDescription: JSON? { step.section["model"]?["model_desc"] }

  /// Whether the step's algorithm starts from models an earlier step of this pipeline
  /// writes (`model.models_folder` of a compression or DnetNas search), which do not exist yet.
  var modelsComeFromAnEarlierStep: Bool {
    guard let folder = step.section["model"]?["models_folder"]?.string, !FileManager.default.fileExists(atPath: folder) else { return false }
    return config.steps.first?.name != step.name
  }

  func search() -> [ConfigError] {
    if modelsComeFromAnEarlierStep {
      // The algorithm is built from those models: its name and the sections are checked now,
      // the rest when the step starts.
      var out: [ConfigError] = []
      do { _ = try SearchAlgorithmFactory.entry(step: step.name, section: step.section, config: config) } catch { out += converted(error) }
      return out + sections(hps: .object([:]), desc: nil)
    }
    let made: SearchAlgorithmFactory.Made
    do { made = try SearchAlgorithmFactory.make(step: step.name, section: step.section, seed: seed, config: config) } catch {
      // The algorithm is wrong: its space and the sections are still checked, without a
      // sample (and so without the model, which a NAS search completes from its sample).
      var out = converted(error)
      // (Not for an algorithm that reads search_space its own way: MFKD1's choice lists.)
      let ownSpace = (try? SearchAlgorithmFactory.entry(step: step.name, section: step.section, config: config))?.ownSpace == true
      if !ownSpace, !out.contains(where: { $0.key == "\(step.name).search_space" }), let space = step.section["search_space"], !NetworkSearchSpace.isNetwork(space) {
        do { _ = try SearchSpace(json: PBATransformers.space(of: step.section)) } catch { out.append(config.error("\(step.name).search_space", "\(error)")) }
      }
      return out + sections(hps: .object([:]), desc: nil)
    }
    let sample: Config
    do {
      if let s = made.sample { sample = s(Generator(seed: seed)) } else {
        sample = try SearchSpace(json: step.section["search_space"] ?? .object([:])).sample(Generator(seed: seed))
      }
    } catch {
      return converted(error) + sections(hps: .object([:]), desc: nil)
    }
    let (desc, hps) = Binding.apply(sample, modelDescription: baseDescription ?? .object([:]))
    // Compression steps start from model.models_folder; their models are checked per trial.
    return sections(hps: hps, desc: baseDescription != nil || desc.object?.isEmpty == false ? desc : nil)
  }

  /// The trainer (with its components), the dataset and, when the data is right, the model.
  func sections(hps: JSON, desc: JSON?) -> [ConfigError] {
    var out: [ConfigError] = []
    // A trial merges its sample into these sections as mappings; anything else would be
    // dropped there (and its defaults checked instead), so it is the problem to name.
    for part in ["trainer", "dataset"] {
      if let v = step.section[part], v != .null, v.object == nil { out.append(config.error("\(step.name).\(part)", "must be a mapping, got \(v.text)")) }
    }
    if !out.isEmpty { return out }
    let trainerPath = "\(step.name).trainer"
    let trainerJSON = TrialTraining.trainerSection(step.section["trainer"], hps["trainer"])
    var unknown: [KeyedError] = []
    do {
      let trainer = try TrainerConfig(json: trainerJSON, path: trainerPath, unknownKeys: &unknown)
      out += unknown.map { config.error($0.key, $0.message) }
      out += trainer.componentProblems(path: trainerPath, taskFolder: config.taskFolder).flatMap(converted)
    } catch { out += converted(error) }
    let dataJSON = TrialTraining.datasetSection(step.section["dataset"] ?? .object(["type": .string("FashionMnist")]), hps["dataset"])
    let data: DatasetSection
    do { data = try DatasetSection(json: dataJSON, path: "\(step.name).dataset") } catch { return out + converted(error) }
    let dataProblems = data.checkProblems()
    out += dataProblems.map { config.error($0.key, $0.message) }
    guard let desc else { return out }
    // With a wrong dataset the model is still checked when its input is known without the
    // data (the built-in image sets); a dataset that must be read to know it is skipped.
    let shape: [Int]?
    if dataProblems.isEmpty {
      do { shape = try data.sampleShape() } catch { return out + converted(error) }
    } else {
      guard let known = try? data.sampleShape() else { return out }
      shape = known
    }
    do { _ = try NetworkRegistry.build(desc, path: "\(step.name).model.model_desc", input: shape) } catch { out += converted(error) }
    return out
  }

  /// A multi-task step: its tasks (a segmentation task is one problem, its sections not
  /// checked further), then each task's sections as a train step's.
  func multiTask() -> [ConfigError] {
    var out: [ConfigError] = []
    let plan = MultiTaskPlan(step: step, config: config, problems: &out)
    for task in plan.tasks {
      let sub = PipelineConfig.Step(name: "\(step.name).\(task.name)", type: "TrainPipeStep", section: task.section)
      out += StepCheck(config: config, step: sub, seed: seed).sections(hps: .object([:]), desc: task.section["model"]?["model_desc"])
    }
    return out
  }

  func benchmark() -> [ConfigError] {
    var out: [ConfigError] = []
    do {
      let data = try DatasetSection(json: step.section["dataset"] ?? .object(["type": .string("FashionMnist")]), path: "\(step.name).dataset")
      out += data.checkProblems().map { config.error($0.key, $0.message) }
    } catch { out += converted(error) }
    let evaluatorJSON = step.section["evaluator"]?["host_evaluator"] ?? step.section["evaluator"] ?? .object([:])
    do { _ = try Evaluator(json: evaluatorJSON, path: "\(step.name).evaluator") } catch { out += converted(error) }
    return out
  }

  /// An error of a step's reader as config errors: with the key its thrower kept apart
  /// (and that key's line), else under the step's name.
  func converted(_ error: Error) -> [ConfigError] {
    if let list = ConfigProblems.list(error) { return list }
    if let k = SearchStep.keyed(error) { return [config.error(k.key, k.message)] }
    return [config.error(step.name, "\(error)")]
  }
}
