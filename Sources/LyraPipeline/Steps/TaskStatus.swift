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
    return lines.joined(separator: "\n")
  }
}
