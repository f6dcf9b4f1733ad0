import Foundation
import LyraBase

/// The tasks of a PostgreSQL database, for `lyra worker --store URL` and `lyra status --store URL`.
public enum PostgresTasks {
  /// The store a worker opens: a file path as given; a PostgreSQL URL with `task` (or its own `?task=`), else the
  /// database's only unfinished task (several: an error listing them, so the worker is started with --task).
  public static func workerStore(_ store: String, task: String?) throws -> String {
    guard PostgresLocation.isPostgres(store) else { return store }
    let loc = try PostgresLocation(store)
    if let task { return try urlKeepingPassword(loc.with(task: task)) }
    if loc.task != nil { return store }
    let open = try unfinished(loc)
    guard open.count == 1 else {
      throw StoreError(open.isEmpty ? "\(loc.redacted): no unfinished task in this database (start one with lyra run CFG --store URL)"
                                    : "\(loc.redacted): \(open.count) unfinished tasks (\(open.joined(separator: ", "))): choose one with --task ID")
    }
    return try urlKeepingPassword(loc.with(task: open[0]))
  }

  /// What a process of its own opens (a password given stays with it, in the form libpq reads).
  private static func urlKeepingPassword(_ loc: PostgresLocation) throws -> String {
    guard loc.task != nil else { return loc.conninfo }
    return loc.password == nil ? loc.redacted : loc.conninfo + "&task=" + loc.task!
  }

  /// Tasks with a step still running (or with no step yet).
  static func unfinished(_ loc: PostgresLocation) throws -> [String] {
    try TrialStore.postgresTasks(loc.conninfo).filter { id in
      let store = try TrialStore(postgres: loc.with(task: id), create: false)
      let steps = try store.steps()
      return steps.isEmpty || steps.contains { $0.status == "running" }
    }
  }

  /// `lyra status --store URL [TASK]`: one line per task (its steps and trial counts), or one task's steps.
  public static func status(_ url: String, task: String?) throws -> String {
    let loc = try PostgresLocation(url)
    let ids = try task.map { [$0] } ?? TrialStore.postgresTasks(loc.conninfo)
    if ids.isEmpty { return "\(loc.redacted): no tasks" }
    var lines = ["\(loc.redacted): \(ids.count) task\(ids.count == 1 ? "" : "s")"]
    for id in ids {
      let store = try TrialStore(postgres: loc.with(task: id), create: false)
      let steps = try store.steps()
      lines.append("  \(id): " + (steps.isEmpty ? "no steps yet" : steps.map { $0.name + " " + $0.status }.joined(separator: ", ")))
      for step in steps {
        let c = try store.counts(step: step.name)
        let parts = TrialStatus.allCases.filter { (c[$0] ?? 0) > 0 }.map { "\(c[$0] ?? 0) \($0.rawValue)" }
        lines.append("    \(step.name) (\(step.kind)): " + (parts.isEmpty ? "no trials" : parts.joined(separator: ", ")))
      }
    }
    return lines.joined(separator: "\n")
  }
}
