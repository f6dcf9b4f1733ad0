import Foundation
import LyraBase
import LyraSearch

/// One trial's record as VEGA keeps it (docs/pipeline.md#resume-workers-outputs): description, hyperparameters,
/// performance, objectives; what `reports.json`, `output.csv` and the per-trial JSON
/// files are made of.
public struct TrialRecord {
  public enum Status: String { case pending, running, finished, failed, pruned }
  public var step: String
  public var workerID: Int
  public var desc: JSON
  public var hps: JSON
  public var performance: [String: Double]
  public var objectives: [Objective]
  public var status: Status
  public var epochs: Double?
  public var weightsFile: String?
  public var startTime: Date?
  public var endTime: Date?
  public var message: String?
  /// Multi-fidelity searches (ASHA, Hyperband, BOHB): the budget (epochs) this trial ran
  /// to, its rung and bracket, and the trial it continued from (a promotion); the worker
  /// that ran it. Reports draw the rung diagram, continuing curves and the worker timeline from these.
  public var budget: Double?
  public var rung: Int?
  public var bracket: Int?
  public var resumeFrom: Int?
  public var worker: String?

  public init(step: String, workerID: Int, desc: JSON, hps: JSON, performance: [String: Double] = [:],
              objectives: [Objective], status: Status = .finished, epochs: Double? = nil) {
    self.step = step
    self.workerID = workerID
    self.desc = desc
    self.hps = hps
    self.performance = performance
    self.objectives = objectives
    self.status = status
    self.epochs = epochs
  }

  /// VEGA's rewards: objective values with minimised ones negated (larger is better).
  public var rewards: [Double] {
    objectives.map { o in
      guard let v = performance[o.name], v.isFinite else { return -.infinity }
      return o.direction == .maximize ? v : -v
    }
  }

  static func iso(_ d: Date?) -> JSON {
    guard let d else { return .null }
    return .string(ISO8601DateFormatter().string(from: d))
  }

  /// The entry of `reports.json`.
  public var json: JSON {
    var o: [String: JSON] = [
      "step_name": .string(step), "worker_id": JSON(workerID), "desc": desc, "hps": hps,
      "performance": .object(performance.mapValues { $0.isFinite ? .number($0) : .string(String($0)) }),
      "objectives": .object(Dictionary(uniqueKeysWithValues: objectives.map { ($0.name, JSON.string($0.direction == .maximize ? "MAX" : "MIN")) })),
      "objective_keys": .array(objectives.map { .string($0.name) }),
      "rewards": .array(rewards.map { $0.isFinite ? .number($0) : .null }),
      "status": .string(status.rawValue), "start_time": TrialRecord.iso(startTime), "end_time": TrialRecord.iso(endTime),
    ]
    if let epochs { o["num_epochs"] = .number(epochs) }
    if let weightsFile { o["weights_file"] = .string(weightsFile) }
    if let message { o["message"] = .string(message) }
    if let budget { o["budget"] = .number(budget) }
    if let rung { o["rung"] = JSON(rung) }
    if let bracket { o["bracket"] = JSON(bracket) }
    if let resumeFrom { o["resume_from"] = JSON(resumeFrom) }
    if let worker { o["worker"] = .string(worker) }
    return .object(o)
  }
}

extension TrialRecord {
  /// Reads an entry of `reports.json` back.
  public init?(json j: JSON) {
    guard let step = j["step_name"]?.string, let id = j["worker_id"]?.int else { return nil }
    let keys = j["objective_keys"]?.array?.compactMap(\.string) ?? []
    let dirs = j["objectives"]?.object ?? [:]
    let objectives = keys.map { Objective($0, dirs[$0]?.string == "MAX" ? .maximize : .minimize) }
    var perf: [String: Double] = [:]
    for (k, v) in j["performance"]?.object ?? [:] {
      if let d = v.double { perf[k] = d } else if let s = v.string, let d = Double(s) { perf[k] = d }
    }
    self.init(step: step, workerID: id, desc: j["desc"] ?? .null, hps: j["hps"] ?? .null, performance: perf, objectives: objectives,
              status: Status(rawValue: j["status"]?.string ?? "finished") ?? .finished, epochs: j["num_epochs"]?.double)
    weightsFile = j["weights_file"]?.string
    message = j["message"]?.string
    budget = j["budget"]?.double
    rung = j["rung"]?.int
    bracket = j["bracket"]?.int
    resumeFrom = j["resume_from"]?.int
    worker = j["worker"]?.string
    let f = ISO8601DateFormatter()
    startTime = j["start_time"]?.string.flatMap { f.date(from: $0) }
    endTime = j["end_time"]?.string.flatMap { f.date(from: $0) }
  }
}

extension TrialRecord {
  /// Takes what the trial store knows about a trial's run: times, error, budget, rung,
  /// bracket, the trial it continued from, and the worker.
  public mutating func noteRun(_ t: StoredTrial) {
    startTime = t.startedAt.map { Date(timeIntervalSince1970: $0) }
    endTime = t.finishedAt.map { Date(timeIntervalSince1970: $0) }
    message = t.error
    budget = t.trial.budget
    rung = t.trial.rung
    bracket = t.trial.bracket
    resumeFrom = t.trial.resumeFrom
    worker = t.worker
  }
}
