import Foundation
import LyraBase
import LyraSearch
import LyraSpace

/// Where a trial is in its life: pending → running → completed | failed | pruned.
public enum TrialStatus: String, CaseIterable {
  case pending, running, completed, failed, pruned

  /// Completed, failed and pruned trials are final: never run again.
  public var isFinished: Bool { self == .completed || self == .failed || self == .pruned }

  init(_ s: TrialResult.Status) {
    switch s {
    case .completed: self = .completed
    case .failed: self = .failed
    case .pruned: self = .pruned
    }
  }
}

/// One row of the trials table.
public struct StoredTrial: Equatable {
  public var step: String
  public var trial: Trial
  public var status: TrialStatus
  public var worker: String?
  public var heartbeatAt: Double?
  public var attempts: Int
  public var result: TrialResult?
  public var error: String?
  /// The trial's checkpoint directory (kept across requeues).
  public var checkpoint: String?
  /// True once the search algorithm has been told the result.
  public var told: Bool
  public var createdAt: Double
  public var startedAt: Double?
  public var finishedAt: Double?

  static let columns = """
    step, trial, config, budget, rung, bracket, resume_from, status, worker, heartbeat_at, attempts, result, error,
    checkpoint, told, created_at, started_at, finished_at
    """

  init(row r: SQLiteRow, path: String) throws {
    func bad(_ what: String) -> StoreError { StoreError("\(path): trial row \(r["step"].string ?? "?")/\(r["trial"].int.map(String.init) ?? "?"): \(what)") }
    guard let step = r["step"].string, let id = r["trial"].int else { throw bad("missing step or trial id") }
    guard let configText = r["config"].string else { throw bad("missing config") }
    let config: Config
    do { config = try StateCodec.config(try JSON.parse(Data(configText.utf8))) } catch {
      throw bad("bad config: \(error)")
    }
    guard let st = r["status"].string, let status = TrialStatus(rawValue: st) else { throw bad("bad status") }
    self.step = step
    self.trial = Trial(id: id, config: config, budget: r["budget"].double, rung: r["rung"].int, bracket: r["bracket"].int,
                       resumeFrom: r["resume_from"].int)
    self.status = status
    self.worker = r["worker"].string
    self.heartbeatAt = r["heartbeat_at"].double
    self.attempts = r["attempts"].int ?? 0
    if let text = r["result"].string {
      do { self.result = try StateCodec.result(try JSON.parse(Data(text.utf8))) } catch { throw bad("bad result: \(error)") }
    } else {
      self.result = nil
    }
    self.error = r["error"].string
    self.checkpoint = r["checkpoint"].string
    self.told = (r["told"].int ?? 0) != 0
    self.createdAt = r["created_at"].double ?? 0
    self.startedAt = r["started_at"].double
    self.finishedAt = r["finished_at"].double
  }
}

/// One row of the steps table: what a worker needs to build the step's executor.
public struct StoredStep: Equatable {
  public var name: String
  /// The executor kind registered in `TrialExecutors` ("trainer", "test.branin", ...).
  public var kind: String
  /// The step's configuration, given to the executor factory.
  public var config: JSON
  /// "running" or "done".
  public var status: String
}
