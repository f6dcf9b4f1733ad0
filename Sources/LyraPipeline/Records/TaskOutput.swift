import Foundation
import LyraBase
import LyraSearch

/// Writes a task's records into its folder; where each file goes is `TaskLayout`'s.
/// Every file is written atomically, so a crash never leaves a half-written record.
public final class TaskOutput {
  public let layout: TaskLayout
  public var root: String { layout.root }
  let lock = NSLock()

  public init(root: String) throws {
    layout = TaskLayout(root: root)
    for d in TaskLayout.createdFolders {
      let path = root + "/" + d
      try FileAccessError.guarding(path, "create the folder") {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      }
    }
  }

  /// A new task id like VEGA's: MMDD.HHMMSS.mmm.
  public static func newTaskID(now: Date = Date()) -> String {
    let f = DateFormatter()
    f.dateFormat = "MMdd.HHmmss.SSS"
    f.timeZone = TimeZone(identifier: "UTC")
    return f.string(from: now)
  }

  /// Writes atomically; a failure is one line naming the path (FileAccessError).
  static func write(_ text: String, to path: String) throws {
    let dir = PathText.parent(path)
    try FileAccessError.guarding(dir, "create the folder") {
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    try FileAccessError.guarding(path, "write") { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) }
  }

  /// Appends a time-stamped line to logs/pipeline.log.
  public func log(_ line: String) {
    lock.lock()
    defer { lock.unlock() }
    let stamp = ISO8601DateFormatter().string(from: Date())
    let path = layout.log
    let text = "\(stamp) \(line)\n"
    if let h = FileHandle(forWritingAtPath: path) {
      h.seekToEndOfFile()
      h.write(Data(text.utf8))
      try? h.close()
    } else {
      _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }
  }

  /// desc_/hps_/performance_<id>.json in the trial's worker folder.
  public func writeTrialFiles(_ r: TrialRecord) throws {
    try writeRecordFiles(r, in: layout.workerFolder(r.step, r.workerID))
  }

  /// A record's description, hyperparameters and performance as TrialFiles in `dir`.
  func writeRecordFiles(_ r: TrialRecord, in dir: String) throws {
    try TaskOutput.write(r.desc.description, to: TrialFile.description.path(r.workerID, in: dir))
    try TaskOutput.write(r.hps.description, to: TrialFile.hyperparameters.path(r.workerID, in: dir))
    try TaskOutput.write(r.json["performance"]!.description, to: TrialFile.performance.path(r.workerID, in: dir))
  }

  /// output/<step>/: the chosen records' files (and weights, when a trial saved them) and output.csv.
  public func writeStepOutput(_ step: String, records: [TrialRecord]) throws {
    let dir = layout.stepFolder(step)
    try FileAccessError.guarding(dir, "create the folder") { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    var csv = ["worker_id,performance,desc"]
    for r in records {
      try writeRecordFiles(r, in: dir)
      if let w = r.weightsFile, FileManager.default.fileExists(atPath: w) {
        let dst = TrialFile.weights.path(r.workerID, in: dir)
        try? FileManager.default.removeItem(atPath: dst)
        try FileAccessError.guarding(dst, "write") { try FileManager.default.copyItem(atPath: w, toPath: dst) }
      }
      csv.append("\(r.workerID),\(TaskOutput.csvField(r.json["performance"]!.text)),\(TaskOutput.csvField(r.desc.text))")
    }
    try TaskOutput.write(csv.joined(separator: "\n") + "\n", to: layout.stepTable(step))
  }

  static func csvField(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

  /// A step's entry in `_steps_`.
  public struct StepStatus {
    public var name: String
    public var status: String // unstarted | running | finished | error
    public var startTime: Date?
    public var endTime: Date?
    public var numModels: Int
    public var bestModels: [Int]
    public var message: String?
    public init(name: String, status: String, startTime: Date? = nil, endTime: Date? = nil, numModels: Int = 0,
                bestModels: [Int] = [], message: String? = nil) {
      self.name = name
      self.status = status
      self.startTime = startTime
      self.endTime = endTime
      self.numModels = numModels
      self.bestModels = bestModels
      self.message = message
    }
  }

  /// output/reports.json: `{"_steps_": [...], "<step>": [records]}`.
  public func writeReports(steps: [StepStatus], records: [String: [TrialRecord]]) throws {
    var o: [String: JSON] = [:]
    o["_steps_"] = .array(steps.map { s in
      var e: [String: JSON] = ["step_name": .string(s.name), "status": .string(s.status), "num_models": JSON(s.numModels),
                               "best_models": .array(s.bestModels.map { JSON($0) }),
                               "start_time": TrialRecord.iso(s.startTime), "end_time": TrialRecord.iso(s.endTime)]
      if let m = s.message { e["message"] = .string(m) }
      return .object(e)
    })
    for (step, list) in records { o[step] = .array(list.sorted { $0.workerID < $1.workerID }.map(\.json)) }
    try TaskOutput.write(JSON.object(o).description, to: layout.reports)
  }
}
