import Foundation

/// Every file and folder name inside a task folder (`tasks/<id>/`), VEGA's layout
/// (docs/pipeline.md#resume-workers-outputs):
///
///     lock                                  TaskLock: one runner per task
///     trials.db                             TrialStore (SQLite adds -wal / -shm beside it); its meta
///                                           holds the effective config and the command lines
///                                           that ran the task (Steps/PipelineResume.swift)
///     logs/pipeline.log                     the run's log
///     output/reports.json                   every step's records and status
///     output/report.md, report.html         ReportWriter, with output/report_plots/<chart>.svg
///     output/<config file>                  a copy of the config a fresh run started from
///     output/<step>/output.csv              the step's chosen trials, with their TrialFiles
///     workers/<step>/<id>/                  a trial's desc/hps/performance files and curve.json
///                                           (a TrainPipeStep model's checkpoints too)
///     checkpoints/<step>/<trial>/           a search trial's checkpoint and best weights
///
/// Why one owner: a resumed task, `lyra status`, the report writer, `lyra export` and the
/// next step all read what the pipeline wrote, possibly from a task folder of an older
/// run; spelling each name once keeps them byte-identical across readers and versions.
/// `entry(at:)` reads a path back into what it is, which the tests use to check that a
/// task folder holds only what this type names.
public struct TaskLayout: Sendable {
  /// The task folder.
  public let root: String

  public init(root: String) { self.root = root }

  /// The folder of task `id` under the tasks folder `base`.
  public init(tasksFolder base: String, taskID id: String) {
    root = (base as NSString).appendingPathComponent(id)
  }

  public static let lockName = "lock"
  public static let storeName = "trials.db"
  public static let logName = "pipeline.log"
  public static let reportsName = "reports.json"
  public static let reportMarkdownName = "report.md"
  public static let reportHTMLName = "report.html"
  public static let reportPlotsName = "report_plots"
  public static let stepTableName = "output.csv"
  public static let outputFolderName = "output"
  public static let workersFolderName = "workers"
  public static let logsFolderName = "logs"
  public static let checkpointsFolderName = "checkpoints"
  /// The folders a task gets when it is opened (`checkpoints/` appears with the first trial).
  public static let createdFolders = [outputFolderName, workersFolderName, logsFolderName]

  public var lock: String { (root as NSString).appendingPathComponent(TaskLayout.lockName) }
  public var store: String { root + "/" + TaskLayout.storeName }
  public var logsFolder: String { root + "/" + TaskLayout.logsFolderName }
  public var log: String { logsFolder + "/" + TaskLayout.logName }
  public var outputFolder: String { root + "/" + TaskLayout.outputFolderName }
  public var reports: String { outputFolder + "/" + TaskLayout.reportsName }
  public var reportMarkdown: String { outputFolder + "/" + TaskLayout.reportMarkdownName }
  public var reportHTML: String { outputFolder + "/" + TaskLayout.reportHTMLName }
  public var reportPlots: String { outputFolder + "/" + TaskLayout.reportPlotsName }
  public func reportPlot(_ stem: String) -> String { "\(reportPlots)/\(stem).svg" }
  /// Where a fresh run keeps a copy of its config file (by the file's own name).
  public func configCopy(of file: String) -> String { outputFolder + "/" + (file as NSString).lastPathComponent }

  /// `output/<step>`: what the step hands on (its chosen trials' files) and `output.csv`.
  public func stepFolder(_ step: String) -> String { outputFolder + "/" + step }
  public func stepTable(_ step: String) -> String { stepFolder(step) + "/" + TaskLayout.stepTableName }
  /// `workers/<step>/<id>`: one trial's record files and learning curve.
  public func workerFolder(_ step: String, _ id: Int) -> String { root + "/\(TaskLayout.workersFolderName)/\(step)/\(id)" }
  public func curve(_ step: String, _ id: Int) -> String { TrialFile.curve.path(id, in: workerFolder(step, id)) }
  /// `checkpoints/<step>/<trial>`: a search trial's work folder (trainer checkpoint, best
  /// weights, performance), kept apart from `workers/` so a resumed trial finds it by id.
  /// The store's folder is the task folder; an empty one means the current folder.
  public func checkpointFolder(_ step: String, _ trial: Int) -> String {
    "\(root.isEmpty ? "." : root)/\(TaskLayout.checkpointsFolderName)/\(step)/\(trial)"
  }

  /// What a path inside a task folder is (relative to the root, `/`-separated).
  public enum Entry: Hashable, Sendable {
    case lock, store
    /// SQLite's own files beside the store (`trials.db-wal`, `trials.db-shm`, `trials.db-journal`).
    case storeJournal(String)
    case log, reports, reportMarkdown, reportHTML
    case reportPlot(String)
    case configCopy(String)
    case stepTable(step: String)
    case stepFile(step: String, file: TrialFile, id: String?)
    case workerFile(step: String, worker: Int, file: TrialFile, id: String?)
    case checkpointFile(step: String, trial: Int, file: TrialFile, id: String?)
  }

  /// The path of `entry` relative to the task folder.
  public static func relativePath(_ entry: Entry) -> String {
    let out = outputFolderName
    switch entry {
    case .lock: return lockName
    case .store: return storeName
    case .storeJournal(let s): return storeName + s
    case .log: return logsFolderName + "/" + logName
    case .reports: return out + "/" + reportsName
    case .reportMarkdown: return out + "/" + reportMarkdownName
    case .reportHTML: return out + "/" + reportHTMLName
    case .reportPlot(let stem): return "\(out)/\(reportPlotsName)/\(stem).svg"
    case .configCopy(let name): return out + "/" + name
    case .stepTable(let step): return "\(out)/\(step)/\(stepTableName)"
    case .stepFile(let step, let f, let id): return "\(out)/\(step)/" + f.name(id ?? "")
    case .workerFile(let step, let w, let f, let id): return "\(workersFolderName)/\(step)/\(w)/" + f.name(id ?? "")
    case .checkpointFile(let step, let t, let f, let id): return "\(checkpointsFolderName)/\(step)/\(t)/" + f.name(id ?? "")
    }
  }

  /// Reads a relative path back (nil when the layout names no such file).
  public static func entry(at relative: String) -> Entry? {
    let parts = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    func trial(_ name: String) -> (TrialFile, String?)? { TrialFile.parse(name).map { ($0.file, $0.id) } }
    switch parts.count {
    case 1:
      if parts[0] == lockName { return .lock }
      if parts[0] == storeName { return .store }
      if ["-wal", "-shm", "-journal"].contains(where: { parts[0] == storeName + $0 }) { return .storeJournal(String(parts[0].dropFirst(storeName.count))) }
    case 2 where parts[0] == logsFolderName && parts[1] == logName:
      return .log
    case 2 where parts[0] == outputFolderName:
      switch parts[1] {
      case reportsName: return .reports
      case reportMarkdownName: return .reportMarkdown
      case reportHTMLName: return .reportHTML
      case "": return nil
      default: return .configCopy(parts[1])
      }
    case 3 where parts[0] == outputFolderName:
      if parts[1] == reportPlotsName, parts[2].hasSuffix(".svg") { return .reportPlot(String(parts[2].dropLast(4))) }
      if parts[2] == stepTableName { return .stepTable(step: parts[1]) }
      if let (f, id) = trial(parts[2]) { return .stepFile(step: parts[1], file: f, id: id) }
    case 4 where parts[0] == workersFolderName:
      if let w = Int(parts[2]), let (f, id) = trial(parts[3]) { return .workerFile(step: parts[1], worker: w, file: f, id: id) }
    case 4 where parts[0] == checkpointsFolderName:
      if let t = Int(parts[2]), let (f, id) = trial(parts[3]) { return .checkpointFile(step: parts[1], trial: t, file: f, id: id) }
    default: break
    }
    return nil
  }
}
