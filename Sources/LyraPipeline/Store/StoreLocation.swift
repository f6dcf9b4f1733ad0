import Foundation
import LyraBase

/// `general.store` / `--store`: where a task's trials live. Absent or `sqlite`: the task folder's trials.db (one
/// machine, no server). `postgresql://USER@HOST[:PORT]/DB[?sslmode=…]`: a PostgreSQL database that workers on other
/// machines reach too (docs/pipeline.md#running-on-several-machines).
public enum StoreLocation {
  /// The problem with a `general.store` value, or nil. A password in the URL is refused here: the effective config
  /// is recorded in the task (and printed by `lyra status --config`), so it would leak; PGPASSWORD or ~/.pgpass
  /// carry it instead. (`lyra run --store URL` accepts one and moves it to PGPASSWORD before the config sees it.)
  public static func problem(_ value: JSON) -> String? {
    guard let s = value.string else { return "must be a string: sqlite or postgresql://USER@HOST/DB" }
    if s == "sqlite" { return nil }
    guard PostgresLocation.isPostgres(s) else { return "'\(Redact.urls(in: s))' is not a store: use sqlite or postgresql://USER@HOST[:PORT]/DB" }
    do {
      let loc = try PostgresLocation(s)
      if loc.password != nil { return "holds a password, which would be recorded in the task: give it in PGPASSWORD or ~/.pgpass" }
      if loc.task != nil { return "names a task (?task=…): the task id is the run's own (lyra run --resume ID)" }
    } catch { return "\(error)" }
    return nil
  }

  /// The PostgreSQL URL of task `id` when `general.store` names a database, else nil (the task folder's SQLite file).
  public static func postgres(_ value: JSON?, task id: String) throws -> String? {
    guard let s = value?.string, s != "sqlite" else { return nil }
    return try PostgresLocation(s).with(task: id).redacted
  }

  /// `lyra run --store URL`: a password in the URL goes to PGPASSWORD (this process, its workers and libpq read it
  /// there) and the URL without it becomes the `general.store` override.
  public static func overrideSetting(_ url: String) throws -> String {
    if url == "sqlite" { return "general.store=sqlite" }
    let loc = try PostgresLocation(url)
    if let password = loc.password { setenv("PGPASSWORD", password, 1) }
    return "general.store=" + loc.redacted
  }
}
