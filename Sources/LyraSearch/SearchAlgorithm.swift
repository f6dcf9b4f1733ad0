import LyraBase
import LyraSpace

/// Whether an objective is minimised (loss, latency) or maximised (accuracy).
public enum Direction: String, Codable {
  case minimize, maximize
}

/// One metric the search optimises.
public struct Objective: Equatable {
  public var name: String
  public var direction: Direction
  public init(_ name: String, _ direction: Direction = .minimize) {
    self.name = name
    self.direction = direction
  }
}

/// One unit of work handed out by `ask`: a configuration, and for multi-fidelity
/// algorithms the budget to train it to (epochs, or a fraction of the full budget).
public struct Trial: Equatable {
  public var id: Int
  public var config: Config
  /// Resource to spend (epochs / fidelity); nil for single-fidelity algorithms.
  public var budget: Double?
  /// Rung (successive-halving level) and bracket, when the algorithm has them.
  public var rung: Int?
  public var bracket: Int?
  /// For promotions and PBT exploits: the trial whose checkpoint to start from.
  public var resumeFrom: Int?

  public init(id: Int, config: Config, budget: Double? = nil, rung: Int? = nil, bracket: Int? = nil, resumeFrom: Int? = nil) {
    self.id = id
    self.config = config
    self.budget = budget
    self.rung = rung
    self.bracket = bracket
    self.resumeFrom = resumeFrom
  }
}

/// What a trial reports back. A failed trial (or a NaN metric) ranks worst.
public struct TrialResult: Equatable {
  public enum Status: String { case completed, failed, pruned }
  public var metrics: [String: Double]
  public var status: Status
  /// Why a trial failed or was pruned without throwing (a quota rejection, a diverged
  /// loss): the runner stores it as the trial's error, which reports and "all trials
  /// failed" messages show.
  public var message: String?
  public init(_ metrics: [String: Double], status: Status = .completed, message: String? = nil) {
    self.metrics = metrics
    self.status = status
    self.message = message
  }
  public static func failed() -> TrialResult { TrialResult([:], status: .failed) }
}

/// The ask/tell protocol every search algorithm implements (docs/architecture.md#ask-and-tell): the same
/// loop drives Lua scripts, the pipeline and parallel workers.
public protocol SearchAlgorithm: AnyObject {
  var objectives: [Objective] { get }
  /// The next trial to run, or nil when nothing can start now (all remaining work is
  /// waiting on running trials) or the search is done.
  func ask() -> Trial?
  /// Reports a trial's result (any order; asynchronous algorithms rely on that).
  func tell(_ trialID: Int, _ result: TrialResult)
  /// True when no more trials will be handed out and all are told.
  var isDone: Bool { get }
  /// The best trial so far by the first objective (failures and NaN never best).
  func best() -> (trial: Trial, result: TrialResult)?
  /// The non-dominated trials over all objectives.
  func paretoFront() -> [(trial: Trial, result: TrialResult)]
  /// Everything needed to resume exactly: `restore(state)` on a fresh instance made
  /// with the same settings continues the same trajectory.
  func state() -> JSON
  func restore(_ state: JSON) throws
}
