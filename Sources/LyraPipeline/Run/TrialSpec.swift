import LyraSearch
import LyraSpace

/// What an executor needs to run one trial: data only (no closures, no objects), so a
/// worker process on any machine can rebuild it from the store.
public struct TrialSpec: Equatable {
  public var step: String
  public var trial: Int
  public var config: Config
  /// Resource to spend (epochs / fidelity); nil for single-fidelity searches.
  public var budget: Double?
  public var rung: Int?
  public var bracket: Int?
  /// The trial whose checkpoint to start from (promotions, PBT exploits).
  public var resumeFrom: Int?
  /// 1 for the first run of this trial, 2 after it was handed out again, ...
  public var attempt: Int
  /// Where this trial writes checkpoints; a later attempt finds the last one here.
  public var checkpointDir: String
  /// `resumeFrom`'s checkpoint directory, when there is one.
  public var resumeFromCheckpointDir: String?

  public init(step: String, trial: Int, config: Config, budget: Double? = nil, rung: Int? = nil, bracket: Int? = nil,
              resumeFrom: Int? = nil, attempt: Int = 1, checkpointDir: String, resumeFromCheckpointDir: String? = nil) {
    self.step = step
    self.trial = trial
    self.config = config
    self.budget = budget
    self.rung = rung
    self.bracket = bracket
    self.resumeFrom = resumeFrom
    self.attempt = attempt
    self.checkpointDir = checkpointDir
    self.resumeFromCheckpointDir = resumeFromCheckpointDir
  }
}

extension TrialStore {
  /// The checkpoint directory a new trial gets: `<store dir>/checkpoints/<step>/<trial>`
  /// (the store lives in the task folder: TaskLayout.checkpointFolder).
  public func checkpointDir(step: String, trial: Int) -> String {
    TaskLayout(root: directory).checkpointFolder(step, trial)
  }

  /// The executor's view of a claimed trial. A PostgreSQL store's workers may be on other machines, so the
  /// checkpoint directories are this process's own (`directory`), not the paths the coordinator recorded.
  public func spec(for r: StoredTrial) throws -> TrialSpec {
    let from = try r.trial.resumeFrom.flatMap { try trial(step: r.step, id: $0) }
    let local = task != nil
    return TrialSpec(step: r.step, trial: r.trial.id, config: r.trial.config, budget: r.trial.budget, rung: r.trial.rung,
                     bracket: r.trial.bracket, resumeFrom: r.trial.resumeFrom, attempt: r.attempts,
                     checkpointDir: (local ? nil : r.checkpoint) ?? checkpointDir(step: r.step, trial: r.trial.id),
                     resumeFromCheckpointDir: (local ? nil : from?.checkpoint) ?? r.trial.resumeFrom.map { checkpointDir(step: r.step, trial: $0) })
  }
}
