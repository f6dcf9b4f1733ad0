import Foundation
import LyraBase
import LyraNN
import LyraSearch
import LyraTensor

/// MultiTaskPipeStep (`MultiTaskPlan` has the config): `multi_task_epochs` rounds, each
/// training every task in turn for its `trainer.epochs`. Before a task's turn its model
/// gets back its own weights from its last turn, then the shared parts' weights as the
/// task before it left them — so the backbone is trained by every task, alternately, as
/// in VEGA. Each turn starts its optimizer and schedule afresh (VEGA restores the task's
/// optimizer state between turns; Lyra does not).
///
/// Files: a task's weights after its last turn are `workers/<step>/<i>/model_<i>.safetensors`
/// (i: the task's place in `tasks`), its record `performance_<i>.json` beside them, the
/// final epoch's values (the weights handed on are the final ones, not a best epoch's).
/// Resume: after every turn the store records how many turns are done; a stopped step goes
/// on with the next turn (a turn cut short continues from its own last checkpoint, in
/// `workers/<step>/<i>/round<r>`).
struct MultiTaskStep {
  let pipeline: Pipeline
  let step: PipelineConfig.Step

  var turnsKey: String { "multitask.\(step.name).turns" }
  func recordKey(_ i: Int) -> String { "multitask.\(step.name).record.\(i)" }
  func weightsPath(_ i: Int) -> String { TrialFile.weights.path(i, in: pipeline.output.layout.workerFolder(step.name, i)) }

  func run() throws -> StepResult {
    var problems: [ConfigError] = []
    let plan = MultiTaskPlan(step: step, config: pipeline.config, problems: &problems)
    try ConfigProblems.throwIfAny(problems)
    let turns = plan.rounds * plan.tasks.count
    let done = min(turns, try pipeline.store.meta(turnsKey)?.int ?? 0)
    var records: [Int: TrialRecord] = [:]
    var own: [Int: [String: Tensor]] = [:]
    var shared: [String: Tensor] = [:]
    for i in plan.tasks.indices {
      if let r = try pipeline.store.meta(recordKey(i)).flatMap(TrialRecord.init(json:)) { records[i] = r }
      if done > 0, FileManager.default.fileExists(atPath: weightsPath(i)) { own[i] = try Self.state(weightsPath(i)) }
    }
    if done > 0, let last = own[(done - 1) % plan.tasks.count] { shared = last.filter { plan.isShared($0.key) } }
    if done > 0 { pipeline.log("[\(step.name)] \(done) of \(turns) task turns already trained") }
    for turn in 0..<done where turn / plan.tasks.count < plan.rounds - 1 { try? FileManager.default.removeItem(atPath: workDir(turn, plan)) }
    pipeline.log("[\(step.name)] \(plan.tasks.count) tasks, \(plan.rounds) rounds; shared: \(plan.shared.joined(separator: ", "))")
    for turn in done..<turns {
      let (round, i) = (turn / plan.tasks.count, turn % plan.tasks.count)
      let task = plan.tasks[i]
      let workDir = self.workDir(turn, plan)
      let spec = TrialSpec(step: step.name, trial: i, config: [:], checkpointDir: workDir)
      var setup = try TrialTraining.Setup(section: task.section, general: pipeline.config.general, hps: .object([:]), step: "\(step.name).\(task.name)")
      let desc = task.section["model"]?["model_desc"] ?? .object([:])
      let built = try TrialTraining.Build(setup: &setup, desc: desc, spec: spec, log: nil)
      // Its own weights first, then the shared parts as the last task left them.
      if let mine = own[i] { try built.model.loadStateDict(mine, strict: false) }
      try built.model.loadStateDict(shared, strict: false)
      let name = step.name, console = pipeline.console, log = pipeline.log
      let prefix = "[\(name)] round \(round + 1)/\(plan.rounds) task \(task.name)"
      built.trainer.log = {
        if $0.contains(" valid ") { log("\(prefix): " + $0) }
        console.update("\(prefix): " + $0)
      }
      let report = try built.trainer.train()
      console.clear()
      let state = built.model.stateDict()
      own[i] = state
      shared = state.filter { plan.isShared($0.key) }
      try FileAccessError.guarding(weightsPath(i), "write") { try Checkpoint.save(built.model, to: weightsPath(i)) }
      var r = TrialRecord(step: step.name, workerID: i, desc: built.description, hps: .object(["task": .string(task.name)]),
                          performance: report.performance, objectives: report.objectives.sorted { $0.key < $1.key }.map { Objective($0.key, $0.value) },
                          epochs: Double(report.epochs))
      r.weightsFile = weightsPath(i)
      r.endTime = Date()
      try? pipeline.output.writeTrialFiles(r)
      try pipeline.store.setMeta(recordKey(i), r.json)
      try pipeline.store.setMeta(turnsKey, JSON(turn + 1))
      records[i] = r
      TestKillSwitch.point(step: step.name, .trial)
      // A finished turn's checkpoint is in the weights file now; the last round's stays.
      // (Until the turn count is stored, the folder's final checkpoint is what a resumed
      // turn restores, whatever the weights file holds.)
      if round < plan.rounds - 1 { try? FileManager.default.removeItem(atPath: workDir) }
      pipeline.log("\(prefix): " + Pipeline.describe(r))
    }
    let list = plan.tasks.indices.compactMap { records[$0] }
    return StepResult(records: list, chosen: list)
  }

  /// A turn's trainer folder: `workers/<step>/<task index>/round<r>`.
  func workDir(_ turn: Int, _ plan: MultiTaskPlan) -> String {
    pipeline.output.layout.workerFolder(step.name, turn % plan.tasks.count) + "/round\(turn / plan.tasks.count)"
  }

  /// A weights file's tensors by name.
  static func state(_ path: String) throws -> [String: Tensor] {
    let st = try SafeTensors.read(from: path)
    var out: [String: Tensor] = [:]
    for (n, e) in st.entries { out[n] = Tensor(e.floats(), shape: e.shape) }
    return out
  }
}
