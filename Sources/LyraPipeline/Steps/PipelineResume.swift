import Foundation
import LyraBase

/// What a task folder records so that a resume needs nothing but the task (issue 18):
/// the effective config (the config file with every `--set` applied, in the store's meta
/// as `effective_config`) and every command line that ran it (`command_lines`).
///
/// Why: a resume that took the config file again but forgot one `--set` silently trained
/// a trial on 10,000 images instead of 2,000. Now `lyra run --resume TASK` rebuilds the
/// run from the recorded config, and a config that differs from it is refused with the
/// keys that differ, unless `--force` records the new one.
extension Pipeline {
  static let effectiveConfigKey = "effective_config"
  static let commandLinesKey = "command_lines"
  static let defaultTasksFolder = "./tasks"

  /// Where `--resume VALUE` points: a value with a `/` is the task folder itself, anything
  /// else a task id in `tasksFolder` (the config's, or ./tasks without a config).
  public static func resumeTarget(_ value: String, tasksFolder: String) -> (base: String, id: String) {
    guard value.contains("/") else { return (tasksFolder, value) }
    let path = value.hasSuffix("/") && value.count > 1 ? String(value.dropLast()) : value
    let parent = (path as NSString).deletingLastPathComponent
    return (parent.isEmpty ? "." : parent, (path as NSString).lastPathComponent)
  }

  /// The effective config and config file name the task recorded. Throws when the task
  /// does not exist or was made by a Lyra that did not record its config.
  public static func recordedConfig(tasksFolder base: String, taskID id: String) throws -> (raw: JSON, file: String) {
    if let problem = TaskNames.taskProblem(id) { throw ConfigError(file: "--resume", line: nil, key: nil, message: problem) }
    let layout = TaskLayout(tasksFolder: base, taskID: id)
    guard FileManager.default.fileExists(atPath: layout.store) else {
      throw ConfigError(file: "--resume", line: nil, key: nil,
                        message: "no task '\(id)' to resume in \(base) (no \(layout.store)); give the task folder (--resume PATH/TO/TASK) or the config file")
    }
    let store = try TrialStore(path: layout.store)
    guard let raw = try store.meta(effectiveConfigKey) else {
      throw ConfigError(file: "--resume", line: nil, key: nil,
                        message: "task '\(id)' did not record its config (an older Lyra made it); resume it with its config file: lyra run CFG.yml --resume \(id)")
    }
    return (raw, try store.meta("source_file")?.string ?? layout.root)
  }

  /// The one command that continues this task, from the folder the run started in: the
  /// id alone when the task lives in ./tasks, else the task folder's path.
  public var resumeCommand: String {
    let inDefault = root == Pipeline.defaultTasksFolder + "/" + taskID || root == "tasks/" + taskID
    return "lyra run --resume " + Pipeline.shellQuoted(inDefault ? taskID : root)
  }

  /// Records a fresh task's effective config.
  func recordFresh(raw: JSON, file: String) throws {
    try store.setMeta("config", config.resolved)
    try store.setMeta(Pipeline.effectiveConfigKey, raw)
    try store.setMeta("source_file", .string(file))
  }

  /// A resumed task: the given config must be the recorded one, or `force` records it.
  /// Tasks of an older Lyra have only the resolved config, which is compared instead.
  func reconcile(raw: JSON, force: Bool) throws {
    let diff: [String]
    if let recorded = try store.meta(Pipeline.effectiveConfigKey) {
      diff = ConfigDiff.lines(from: recorded, to: raw)
    } else if let resolved = try store.meta("config") {
      diff = ConfigDiff.lines(from: resolved, to: config.resolved)
    } else {
      diff = []
    }
    guard !diff.isEmpty else { return }
    guard force else { throw ConfigDrift(taskID: taskID, resumeCommand: resumeCommand, changes: diff) }
    try store.setMeta("config", config.resolved)
    try store.setMeta(Pipeline.effectiveConfigKey, raw)
    forcedChanges = diff
    output.log("--force: the task's config changed (recorded → now): " + diff.joined(separator: "; "))
  }

  /// Appends `command` (argv) to the task's command lines.
  func recordCommand(_ command: [String]) throws {
    var lines = try store.meta(Pipeline.commandLinesKey)?.array ?? []
    lines.append(.string(command.map(Pipeline.shellQuoted).joined(separator: " ")))
    try store.setMeta(Pipeline.commandLinesKey, .array(lines))
  }

  /// `s` as one shell word (single-quoted when it holds anything but safe characters).
  static func shellQuoted(_ s: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,/:=@+%")
    if !s.isEmpty && s.allSatisfy(safe.contains) { return s }
    return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}

/// A resume whose config differs from the task's recorded one (refused without `--force`).
public struct ConfigDrift: Error, CustomStringConvertible {
  public var taskID: String
  public var resumeCommand: String
  /// `key: recorded → given`, one per differing key.
  public var changes: [String]
  public var description: String {
    "task \(taskID) was run with a different config; \(changes.count) \(changes.count == 1 ? "key differs" : "keys differ") (recorded → given):\n"
      + changes.map { "  \($0)\n" }.joined()
      + "resume with the recorded config: \(resumeCommand)\nor record and use the new one: add --force"
  }
}
