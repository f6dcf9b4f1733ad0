import Foundation
import LyraBase

/// One trial as read back from `output/reports.json` (the inverse of `TrialRecord.json`).
public struct ReportTrial {
  public var step: String
  public var workerID: Int
  public var desc: JSON
  public var hps: JSON
  public var performance: [String: Double]
  /// Objectives in `objective_keys` order; true = maximise.
  public var objectives: [(name: String, maximize: Bool)]
  public var status: String
  public var startTime: Date?
  public var endTime: Date?
  public var epochs: Double?
  public var message: String?
  /// Multi-fidelity fields (see `TrialRecord`): nil for other searches.
  public var budget: Double?
  public var rung: Int?
  public var bracket: Int?
  public var resumeFrom: Int?
  public var worker: String?

  init(step: String, json j: JSON) {
    self.step = step
    workerID = j["worker_id"]?.int ?? -1
    desc = j["desc"] ?? .null
    hps = j["hps"] ?? .null
    var perf: [String: Double] = [:]
    for (k, v) in j["performance"]?.object ?? [:] {
      if let d = v.double { perf[k] = d } else if let s = v.string, let d = Double(s) { perf[k] = d }
    }
    performance = perf
    let dirs = j["objectives"]?.object ?? [:]
    let keys = j["objective_keys"]?.array?.compactMap(\.string) ?? dirs.keys.sorted()
    objectives = keys.map { ($0, dirs[$0]?.string?.uppercased() == "MAX") }
    status = j["status"]?.string ?? "unknown"
    startTime = ReportTrial.date(j["start_time"])
    endTime = ReportTrial.date(j["end_time"])
    epochs = j["num_epochs"]?.double
    message = j["message"]?.string
    budget = j["budget"]?.double
    rung = j["rung"]?.int
    bracket = j["bracket"]?.int
    resumeFrom = j["resume_from"]?.int
    worker = j["worker"]?.string
  }

  static func date(_ j: JSON?) -> Date? {
    guard let s = j?.string else { return nil }
    let f = ISO8601DateFormatter()
    if let d = f.date(from: s) { return d }
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return f.date(from: s)
  }

  /// The value of objective `i`, nil when missing or not finite.
  public func value(_ i: Int) -> Double? {
    guard i < objectives.count, let v = performance[objectives[i].name], v.isFinite else { return nil }
    return v
  }

  /// Larger-is-better form of objective `i` (VEGA's reward).
  public func reward(_ i: Int) -> Double? {
    value(i).map { objectives[i].maximize ? $0 : -$0 }
  }

  public var isFinished: Bool { status == "finished" }
  public var duration: Double? {
    guard let s = startTime, let e = endTime else { return nil }
    return e.timeIntervalSince(s)
  }
}

/// A step's entry in `_steps_` together with its trials.
public struct ReportStep {
  public var name: String
  public var status: String
  public var startTime: Date?
  public var endTime: Date?
  public var message: String?
  public var trials: [ReportTrial]
}

/// A task folder's `output/reports.json`, parsed.
public struct TaskReport {
  public var root: String
  public var steps: [ReportStep]

  /// Reads `<root>/output/reports.json`; steps in `_steps_` order, then any other record lists by name.
  public static func load(taskRoot root: String) throws -> TaskReport {
    let path = TaskLayout(root: root).reports
    guard let data = FileManager.default.contents(atPath: path) else { throw ReportError("no \(path)") }
    let j: JSON
    do { j = try JSON.parse(data) } catch { throw ReportError("\(path): \(error)") }
    guard let top = j.object else { throw ReportError("\(path): expected a JSON object") }
    var steps: [ReportStep] = []
    var seen = Set<String>()
    for s in top["_steps_"]?.array ?? [] {
      guard let name = s["step_name"]?.string, !seen.contains(name) else { continue }
      seen.insert(name)
      steps.append(ReportStep(name: name, status: s["status"]?.string ?? "unknown", startTime: ReportTrial.date(s["start_time"]),
                              endTime: ReportTrial.date(s["end_time"]), message: s["message"]?.string, trials: []))
    }
    for name in top.keys.sorted() where name != "_steps_" && !seen.contains(name) && top[name]?.array != nil {
      steps.append(ReportStep(name: name, status: "unknown", trials: []))
    }
    for i in steps.indices {
      steps[i].trials = (top[steps[i].name]?.array ?? []).map { ReportTrial(step: steps[i].name, json: $0) }
    }
    return TaskReport(root: root, steps: steps)
  }
}

/// A task folder that cannot be reported on.
public struct ReportError: Error, CustomStringConvertible {
  public var description: String
  init(_ d: String) { description = d }
}
