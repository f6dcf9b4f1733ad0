import Foundation
import LyraBase
import LyraNN
import LyraSearch
import LyraNets
import LyraSpace

/// SearchPipeStep: a search algorithm over the step's space, trials trained by the
/// trainer through the trial store (so a crash or Ctrl-C resumes exactly). Chooses the
/// best trial (one objective) or the Pareto front (several) for the next step.
struct SearchStep {
  let pipeline: Pipeline
  let step: PipelineConfig.Step

  /// The key an error is about, where its thrower kept it apart from the text.
  static func keyed(_ error: Error) -> KeyedError? {
    switch error {
    case TrainerError.keyed(let k): return k
    case let e as DescriptionError: return e.keyed
    case let k as KeyedError: return k
    default: return nil
    }
  }

  func run() throws -> StepResult {
    let made = try SearchAlgorithmFactory.make(step: step.name, section: step.section, seed: pipeline.seed, config: pipeline.config)
    let stepConfig = TrialTraining.stepConfig(section: step.section, general: pipeline.config.general, taskRoot: pipeline.root, step: step.name)
    let log = pipeline.log
    let name = step.name
    let section = step.section, general = pipeline.config.general, root = pipeline.root
    var options = SearchRunner.Options(workers: pipeline.defaultWorkers)
    options.heartbeatTimeout = general["worker"]?["timeout"]?.double ?? 60
    options.localWorkers = pipeline.localWorkers
    options.workerArguments = Plugins.files(general).flatMap { ["--plugin", $0] }
      + (pipeline.store.artifactsDirectory.map { ["--artifacts", $0] } ?? [])
    let progress = SearchProgress(step: name, store: pipeline.store, algorithm: made.algorithm, planned: made.plannedTrials,
                                  console: pipeline.console)
    // In-process trials log their progress; workers keep quiet.
    let executor: TrialExecutor = { spec in
      log("[\(name)] trial \(spec.trial)" + (spec.budget.map { " (budget \(Int($0)))" } ?? "") + " " + SearchStep.short(spec.config))
      progress.refresh(note: "trial \(spec.trial): starting", force: true)
      let out: TrialTraining.Outcome
      do {
        out = try TrialTraining.run(section: section, general: general, taskRoot: root, spec: spec) { line in
          progress.refresh(note: "trial \(spec.trial): " + line)
        }
      } catch {
        progress.note = ""
        log("[\(name)] trial \(spec.trial) failed: \(error)")
        throw error
      }
      progress.note = ""
      log("[\(name)] trial \(spec.trial): " + (out.result.status == .completed ? Pipeline.describe(out.record)
                                                      : out.result.status.rawValue + (out.result.message.map { ": " + $0 } ?? "")))
      return out.result
    }
    let runner = try SearchRunner.startOrResume(store: pipeline.store, step: step.name, kind: TrialTraining.kind, stepConfig: stepConfig,
                                                algorithm: made.algorithm, executor: executor, options: options)
    let live = LiveReport()
    runner.onPoll = { [self] in
      progress.refresh()
      let store = pipeline.store
      if live.due(now: Date().timeIntervalSince1970, finished: { (try? store.counts(step: name))?.filter { $0.key.isFinished }.values.reduce(0, +) ?? 0 }) {
        pipeline.writeLiveReport(step: name, records: (try? collect(made)) ?? [])
      }
    }
    let outcome = try runner.run()
    pipeline.console.clear()
    let records = try collect(made)
    if outcome == .finished, !records.isEmpty, records.allSatisfy({ $0.status != .finished }) {
      let first = records.first { $0.message != nil }?.message ?? "no message"
      throw pipeline.config.error(step.name, "all \(records.count) trials failed; the first error: \(first)")
    }
    var chosen: [TrialRecord] = []
    if made.objectives.count > 1 {
      let front = Set(made.algorithm.paretoFront().map(\.trial.id))
      chosen = records.filter { front.contains($0.workerID) }
    } else if let b = made.algorithm.best() {
      chosen = records.filter { $0.workerID == b.trial.id }
    }
    // PBT and PBA hand on their schedules (optimiser parameters; augmentation policies).
    chosen = chosen.map { PBTHandOff.withSchedule(PBAHandOff.withSchedule($0, algorithm: made.algorithm), algorithm: made.algorithm) }
    return StepResult(records: records, chosen: chosen, interrupted: outcome == .interrupted, storeStep: true)
  }

  /// Records of every finished trial, from the store (results) and the trial folders
  /// (desc/hps written by the trainer).
  func collect(_ made: SearchAlgorithmFactory.Made) throws -> [TrialRecord] {
    let base = step.section["model"]?["model_desc"] ?? .object([:])
    return try pipeline.store.trials(step: step.name).compactMap { t -> TrialRecord? in
      guard let result = t.result else { return nil }
      var (desc, hps) = Binding.apply(t.trial.config, modelDescription: base)
      // The trainer wrote the description completed with what it took from the data
      // (in_channels, ...): hand that one on, so the model rebuilds without the data.
      let written = TrialFile.description.path(t.trial.id, in: pipeline.output.layout.workerFolder(step.name, t.trial.id))
      if let d = FileManager.default.contents(atPath: written), let full = try? JSON.parse(d), full.object != nil { desc = full }
      var r = TrialRecord(step: step.name, workerID: t.trial.id, desc: desc, hps: hps, performance: result.metrics,
                          objectives: made.objectives, status: result.status == .completed ? .finished : (result.status == .pruned ? .pruned : .failed),
                          epochs: t.trial.budget)
      r.noteRun(t)
      let dir = t.checkpoint ?? pipeline.store.checkpointDir(step: step.name, trial: t.trial.id)
      let w = TrialFile.weights.path(t.trial.id, in: dir)
      if FileManager.default.fileExists(atPath: w) { r.weightsFile = w }
      return r
    }
  }

  /// `lr=0.01 op1.type=Rotate op2.type=Color`: each key by its last component, or its
  /// last two where the last alone would be ambiguous.
  static func short(_ c: Config) -> String {
    // A PBA policy is ~60 keys: summarise it as the ops it can apply.
    let pbaPrefix = "dataset.transforms.pba."
    var c = c
    let policy = c.keys.filter { $0.hasPrefix(pbaPrefix) }
    if !policy.isEmpty {
      var active = Set<String>()
      for k in policy where k.contains(".prob") {
        if case .double(let p)? = c[k], p > 0 { active.insert(String(k.dropFirst(pbaPrefix.count).split(separator: ".")[0])) }
      }
      for k in policy { c.removeValue(forKey: k) }
      c["policy"] = .string(active.isEmpty ? "none" : active.sorted().joined(separator: ","))
    }
    let last = c.keys.map { $0.split(separator: ".").last.map(String.init) ?? $0 }
    return c.keys.sorted().map { k in
      let v = c[k]!
      let text: String
      if case .double(let d) = v { text = String(format: "%.4g", d) } else { text = v.description }
      let parts = k.split(separator: ".")
      let name = parts.last.map(String.init) ?? k
      let label = last.filter { $0 == name }.count > 1 ? parts.suffix(2).joined(separator: ".") : name
      return "\(label)=\(text)"
    }.joined(separator: " ")
  }
}
