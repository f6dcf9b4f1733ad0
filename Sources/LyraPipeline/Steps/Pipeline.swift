import Foundation
import LyraBase
import LyraNets
import LyraSearch

/// Runs a pipeline config's steps in order in one task folder (VEGA's Pipeline.run):
/// SearchPipeStep drives a search through the trial store, TrainPipeStep fully trains
/// the models an earlier step chose, BenchmarkPipeStep evaluates them on other data.
/// `lyra run cfg.yml` and `lyra.pipeline.run(cfg)` both end here.
public final class Pipeline {
  public let config: PipelineConfig
  public let taskID: String
  public let output: TaskOutput
  public let store: TrialStore
  /// This runner's hold on the task (released when the pipeline goes away).
  let lock: TaskLock
  /// The console: plain progress lines, and a live status line on a terminal (§8).
  public var console = StatusLine()
  /// Progress lines (the CLI prints them through `console`; tests collect them). A
  /// replaced `log` also turns the live status line off.
  public var log: (String) -> Void {
    get { customLog ?? { [console] in console.log($0) } }
    set {
      customLog = newValue
      console = StatusLine(live: false)
    }
  }
  private var customLog: ((String) -> Void)?
  /// Worker processes for search steps (nil: from `general.parallel_search`).
  public var workers: Int?
  /// Of those, how many this process starts itself (nil: all); 0 with a PostgreSQL store: workers on other
  /// machines (`lyra worker --store URL`) run every trial (SearchRunner.Options.localWorkers).
  public var localWorkers: Int?
  public var seedOverride: UInt64?
  var statuses: [TaskOutput.StepStatus] = []
  var records: [String: [TrialRecord]] = [:]

  /// Where tasks live: `general.task.local_base_path` (default ./tasks).
  public static func tasksFolder(of raw: JSON) -> String { raw["general"]?["task"]?["local_base_path"]?.string ?? "./tasks" }

  /// A new task (`resume: nil`) or an earlier one to continue (`resume: task id`).
  public convenience init(document: YAMLDocument, resume: String? = nil) throws {
    try self.init(raw: document.value, file: document.file, lines: document.lines, sourceText: document.text, resume: resume)
  }

  /// `raw` is the effective config (every `--set` applied). A fresh task records it; a
  /// resumed one must match the recorded one unless `force` (then it is recorded):
  /// PipelineResume.swift. `tasksFolder` overrides the config's (a `--resume PATH`);
  /// `command` (argv) is appended to the task's recorded command lines.
  public init(raw: JSON, file: String = "(lua)", lines: [String: Int] = [:], sourceText: String? = nil, resume: String? = nil,
              tasksFolder: String? = nil, force: Bool = false, command: [String]? = nil) throws {
    let base = tasksFolder ?? Pipeline.tasksFolder(of: raw)
    let id = resume ?? TaskOutput.newTaskID()
    if let problem = TaskNames.taskProblem(id) {
      throw ConfigError(file: file, line: nil, key: "--resume", message: problem)
    }
    let layout = TaskLayout(tasksFolder: base, taskID: id)
    let root = layout.root
    let postgres = try StoreLocation.postgres(raw["general"]?["store"], task: id)
    if let resume, postgres == nil, !FileManager.default.fileExists(atPath: layout.store) {
      throw ConfigError(file: file, line: nil, key: nil, message: "no task '\(resume)' to resume in \(base) (no \(layout.store))")
    }
    // The whole config is checked before anything is created or run: a typo in a later
    // step, a misspelt loss or a missing data_path is one list of errors, not a task
    // folder with N failed trials (issue 18). Plug-ins are loaded by the check.
    try ConfigProblems.throwIfAny(Pipeline.problems(raw: raw, file: file, lines: lines))
    config = try PipelineConfig(json: raw, file: file, lines: lines, taskFolder: root)
    taskID = id
    output = try TaskOutput(root: root)
    // One runner per task: a second `run --resume` of this task is refused here, before
    // it touches the store; a lock left by a dead process is taken over.
    lock = try TaskLock(taskRoot: root)
    store = try TrialStore(path: postgres ?? layout.store, create: postgres == nil || resume == nil)
    store.directory = root
    if let dead = lock.tookOverFrom { output.log("took over the task lock of process \(dead), which is no longer running") }
    if resume == nil {
      try recordFresh(raw: raw, file: file)
      if let sourceText {
        let copy = layout.configCopy(of: file)
        try FileAccessError.guarding(copy, "write") { try Data(sourceText.utf8).write(to: URL(fileURLWithPath: copy), options: .atomic) }
      }
    } else {
      try reconcile(raw: raw, force: force)
    }
    if let command { try recordCommand(command) }
  }

  /// The `key: recorded → now` lines a `--force` resume recorded (empty otherwise).
  public internal(set) var forcedChanges: [String] = []

  public var root: String { output.root }


  var seed: UInt64 {
    if let s = seedOverride { return s }
    return UInt64(config.general["seed"]?.int ?? 0)
  }

  var defaultWorkers: Int {
    if let w = workers { return max(1, w) }
    guard config.general["parallel_search"]?.bool == true else { return 1 }
    if let w = config.general["workers"]?.int { return max(1, w) }
    let threads = max(1, config.general["threads_per_trial"]?.int ?? 1)
    return max(1, ProcessInfo.processInfo.activeProcessorCount / threads)
  }

  public struct Summary {
    public var taskID: String
    public var root: String
    public var steps: [TaskOutput.StepStatus]
    public var best: [String: TrialRecord]
    public var interrupted: Bool
    /// Steps left unstarted because `run(only:)` did not select them.
    public var notRun: [String] = []
  }

  /// Runs (or continues) every step, or with `only` the named ones (StepSelection.swift);
  /// finished steps of a resumed task are not rerun.
  @discardableResult
  public func run(only: [String]? = nil) throws -> Summary {
    if let only { try checkSelection(only) }
    output.log("task \(taskID): \(config.steps.map(\.name).joined(separator: " -> "))")
    log("task \(taskID) in \(root)")
    for w in config.warnings {
      output.log("warning: \(w)")
      log("warning: \(w)")
    }
    var best: [String: TrialRecord] = [:]
    var previous: String?
    statuses = config.steps.map { TaskOutput.StepStatus(name: $0.name, status: "unstarted") }
    for (k, step) in config.steps.enumerated() {
      if let done = try loadFinished(step) {
        statuses[k] = done.status
        records[step.name] = done.records
        if let b = done.status.bestModels.first, let r = done.records.first(where: { $0.workerID == b }) { best[step.name] = r }
        log("[\(step.name)] already finished")
        previous = step.name
        continue
      }
      if let only, !only.contains(step.name) {
        let rest = config.steps[k...].map(\.name)
        log("[\(step.name)] not selected; run the rest with: \(resumeCommand)")
        return Summary(taskID: taskID, root: root, steps: statuses, best: best, interrupted: false, notRun: rest)
      }
      // Ctrl-C between steps (or before the first) stops here, before the step starts.
      if Interruption.isRequested { return interrupted(at: step.name, best: best) }
      statuses[k].status = "running"
      statuses[k].startTime = Date()
      try writeReports()
      output.log("step \(step.name) (\(step.type)) started")
      log("[\(step.name)] \(step.type)")
      let result: StepResult
      do {
        switch step.type {
        case "SearchPipeStep": result = try SearchStep(pipeline: self, step: step).run()
        case "TrainPipeStep": result = try TrainStep(pipeline: self, step: step, previous: previous).run()
        case MultiTaskPlan.type: result = try MultiTaskStep(pipeline: self, step: step).run()
        default: result = try BenchmarkStep(pipeline: self, step: step, previous: previous).run()
        }
      } catch where error is Interrupted || Interruption.isRequested {
        // Ctrl-C inside a step that stops by throwing (fully_train's trainer, a
        // benchmark): not an error; the step resumes from its last checkpoint.
        statuses[k].endTime = Date()
        try writeReports()
        return interrupted(at: step.name, best: best)
      } catch {
        statuses[k].status = "error"
        statuses[k].message = "\(error)"
        statuses[k].endTime = Date()
        try? writeReports()
        output.log("step \(step.name) failed: \(error)")
        throw error
      }
      records[step.name] = result.records
      statuses[k].numModels = result.records.count
      statuses[k].bestModels = result.chosen.map(\.workerID)
      statuses[k].endTime = Date()
      if result.interrupted {
        try writeReports()
        return interrupted(at: step.name, best: best)
      }
      try output.writeStepOutput(step.name, records: result.chosen)
      statuses[k].status = "finished"
      try saveFinished(step, status: statuses[k], records: result.records, storeStep: result.storeStep)
      try writeReports()
      if let b = result.chosen.first { best[step.name] = b }
      output.log("step \(step.name) finished: \(result.records.count) trials")
      if result.chosen.count > 1, step.type == "SearchPipeStep" {
        log("[\(step.name)] finished: \(result.records.count) trials, Pareto front of \(result.chosen.count): " +
            result.chosen.map { "#\($0.workerID)" }.joined(separator: " "))
      } else {
        log("[\(step.name)] finished: \(result.records.count) trials" + (result.chosen.first.map { ", best \(Pipeline.describe($0))" } ?? ""))
      }
      previous = step.name
    }
    do { _ = try ReportWriter(taskRoot: root).write() } catch { log("report not written: \(error)") } // a resumed, already finished task
    output.log("task finished")
    return Summary(taskID: taskID, root: root, steps: statuses, best: best, interrupted: false)
  }

  /// The one line every Ctrl-C prints, wherever it landed (search, between steps,
  /// fully_train): the step and the exact command that continues the task.
  func interrupted(at step: String, best: [String: TrialRecord]) -> Summary {
    output.log("step \(step) interrupted")
    log("[\(step)] interrupted; resume with: \(resumeCommand)")
    return Summary(taskID: taskID, root: root, steps: statuses, best: best, interrupted: true)
  }

  static func describe(_ r: TrialRecord) -> String {
    let perf = r.performance.sorted { $0.key < $1.key }.prefix(3).map { String(format: "%@ %.4g", $0.key, $0.value) }
    return "#\(r.workerID) " + perf.joined(separator: ", ")
  }

  /// `reports.json`, then `report.html`/`report.md` from it: after every step's start and
  /// end, so the report of a task stopped anywhere is current. A report that cannot be
  /// written is logged, never the end of the task.
  func writeReports() throws {
    try output.writeReports(steps: statuses, records: records)
    do { _ = try ReportWriter(taskRoot: root).write() } catch { log("report not written: \(error)") }
  }

  /// A running search step's records so far, into `reports.json` and the report
  /// (LiveReport decides when); failures are logged and the search goes on.
  func writeLiveReport(step: String, records list: [TrialRecord]) {
    records[step] = list
    do { try writeReports() } catch { log("report not written: \(error)") }
  }

}

/// What a step returns: all its trial records and the chosen ones (best or Pareto) that
/// go to `output/<step>/` for the next step.
struct StepResult {
  var records: [TrialRecord]
  var chosen: [TrialRecord]
  var interrupted = false
  var storeStep = false
}
