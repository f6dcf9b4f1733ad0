import Foundation
import LyraBase

/// The text `lyra status` prints: each step's state, trial counts and best result.
public enum TaskStatus {
  public static func summary(root: String) throws -> String {
    let layout = TaskLayout(root: root)
    guard let data = FileManager.default.contents(atPath: layout.reports) else {
      throw ConfigError(file: root, line: nil, key: nil, message: "not a task folder (no output/reports.json)")
    }
    let reports = try JSON.parse(data)
    var lines = ["task \((root as NSString).lastPathComponent) (\(root))"]
    let store = try? TrialStore(path: layout.store, create: false)
    for s in reports["_steps_"]?.array ?? [] {
      let name = s["step_name"]?.string ?? "?"
      var line = "  \(name): \(s["status"]?.string ?? "?")"
      if let counts = try? store?.counts(step: name), counts.values.reduce(0, +) > 0 {
        line += " — " + counts.filter { $0.value > 0 }.sorted { $0.key.rawValue < $1.key.rawValue }
          .map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
      } else if let n = s["num_models"]?.int {
        line += " — \(n) models"
      }
      if let best = s["best_models"]?.array?.first?.int,
         let rec = reports[name]?.array?.first(where: { $0["worker_id"]?.int == best }) {
        let perf = (rec["performance"]?.object ?? [:]).sorted { $0.key < $1.key }.prefix(3)
          .map { "\($0.key) \($0.value.double.map { String(format: "%.4g", $0) } ?? $0.value.text)" }
        line += "; best #\(best): " + perf.joined(separator: ", ")
      }
      if let m = s["message"]?.string { line += " (\(m))" }
      lines.append(line)
    }
    lines += recorded(store)
    if FileManager.default.fileExists(atPath: layout.reportHTML) { lines.append("  report: \(layout.reportHTML)") }
    return lines.joined(separator: "\n")
  }

  /// What the task was run from (issue 18: `--resume` needs nothing else): the config file,
  /// the command lines that ran it, and where to see the effective config.
  static func recorded(_ store: TrialStore?) -> [String] {
    guard let store else { return [] }
    var out: [String] = []
    if let file = (try? store.meta("source_file"))??.string { out.append("  config: \(file) (effective config recorded in trials.db: lyra status TASK --config)") }
    let commands = ((try? store.meta(Pipeline.commandLinesKey)) ?? nil)?.array?.compactMap(\.string) ?? []
    if !commands.isEmpty {
      out.append("  run by:" + (commands.count == 1 ? " " + commands[0] : ""))
      if commands.count > 1 { out += commands.map { "    " + $0 } }
    }
    return out
  }

  /// The effective config the task runs with (every `--set` applied, as recorded at its
  /// start or by the last `--force`), as JSON text; what `lyra status TASK --config` prints.
  public static func recordedConfig(root: String) throws -> String {
    let layout = TaskLayout(root: root)
    guard FileManager.default.fileExists(atPath: layout.store) else {
      throw ConfigError(file: root, line: nil, key: nil, message: "not a task folder (no trials.db)")
    }
    let store = try TrialStore(path: layout.store, create: false)
    guard let raw = try store.meta(Pipeline.effectiveConfigKey) else {
      throw ConfigError(file: root, line: nil, key: nil, message: "the task has no recorded config (started by a Lyra before issue 18)")
    }
    return raw.description
  }
}
