import Foundation
import LyraBase

/// What a finished step leaves in the trial store so that every later resume shows it
/// exactly as it finished: its records (`records.<step>`), its `_steps_` summary
/// (`summary.<step>`: models, chosen models, times) and the step's status `finished`,
/// written in ONE transaction.
///
/// Why one transaction, and why the summary is stored: a resumed task rebuilds
/// `reports.json` from the store. Before, only the records were kept and the summary was
/// rebuilt empty (`num_models 0`, no best models, so `lyra status` dropped the step), and
/// a kill between "status finished" and "records saved" made the step look finished with
/// nothing to show. Now the step is finished exactly when all three are stored.
extension Pipeline {
  func saveFinished(_ step: PipelineConfig.Step, status: TaskOutput.StepStatus, records list: [TrialRecord], storeStep: Bool) throws {
    var summary: [String: JSON] = ["num_models": JSON(status.numModels), "best_models": .array(status.bestModels.map { JSON($0) })]
    if let t = status.startTime { summary["start_time"] = .number(t.timeIntervalSince1970) }
    if let t = status.endTime { summary["end_time"] = .number(t.timeIntervalSince1970) }
    try store.transaction {
      try store.setMeta("records." + step.name, .array(list.map(\.json)))
      try store.setMeta("summary." + step.name, .object(summary))
      if !storeStep, try store.step(step.name) == nil { try store.addStep(step.name, kind: "done", config: step.section) }
      try store.setStepStatus(step.name, "finished")
    }
  }

  /// The records and summary of a step that finished in an earlier run, or nil when it
  /// has not finished. A task from before summaries were stored gets its chosen models
  /// from `output/<step>/desc_<id>.json` (what the step handed on).
  func loadFinished(_ step: PipelineConfig.Step) throws -> (records: [TrialRecord], status: TaskOutput.StepStatus)? {
    guard try store.step(step.name)?.status == "finished", let list = try store.meta("records." + step.name)?.array else { return nil }
    let records = list.compactMap(TrialRecord.init(json:))
    var status = TaskOutput.StepStatus(name: step.name, status: "finished", numModels: records.count)
    if let s = try store.meta("summary." + step.name) {
      status.numModels = s["num_models"]?.int ?? records.count
      status.bestModels = s["best_models"]?.array?.compactMap(\.int) ?? []
      status.startTime = s["start_time"]?.double.map { Date(timeIntervalSince1970: $0) }
      status.endTime = s["end_time"]?.double.map { Date(timeIntervalSince1970: $0) }
    } else {
      let files = (try? FileManager.default.contentsOfDirectory(atPath: output.layout.stepFolder(step.name))) ?? []
      status.bestModels = files.compactMap { TrialFile.description.id(in: $0).flatMap { Int($0) } }.sorted()
    }
    return (records, status)
  }
}
