import CSQLite
import Foundation
import LyraBase

/// The task's trial store: one SQLite file (`tasks/<id>/trials.db`) holding the task's
/// metadata, its steps, every trial and each step's search-algorithm state.
///
/// Crash safety: journal_mode=WAL, synchronous=FULL, and every change that must stay
/// consistent is one transaction (a new trial with the algorithm state that handed it
/// out; a result with the state that was told it). A SIGKILL at any instant therefore
/// leaves either the state before or after each such change, never half of it.
/// Why FULL rather than NORMAL: in WAL mode NORMAL already survives a process crash, but
/// a power loss or kernel panic may drop the last commits, i.e. trials whose results
/// were reported and then run again. FULL fsyncs the WAL at each commit; with commits
/// once per trial (seconds to hours of training) that cost is invisible.
///
/// One `TrialStore` per thread or process (it owns one connection); any number of them,
/// in any processes, may use the same file at once.
public final class TrialStore {
  /// The store's file, or for PostgreSQL its URL without password (safe to print, and what workers are given).
  public let path: String
  let db: StoreConnection
  /// The local folder holding checkpoint directories: the store's folder for SQLite; for PostgreSQL, where this
  /// process keeps its trials' files (`tasks/<task>` under the working directory unless set).
  public var directory: String
  /// `--artifacts DIR` (ArtifactsDirectory): where trial files travel instead of the database; nil: the database.
  public internal(set) var artifactsDirectory: String?
  /// The task id of a PostgreSQL store (nil for SQLite: the file is the task).
  public let task: String?
  /// What opens another connection to this store in this process (a heartbeat thread): `path`, or the URL with its
  /// password when one was given. Never printed.
  let reopenPath: String
  /// Environment entries a worker process started with `--store path` needs (PGPASSWORD when the URL had one, so
  /// the password is not on its command line).
  public let childEnvironment: [String: String]

  /// Opens the store at `path`, creating it (and its schema) when the file is new or
  /// empty. A file that is not SQLite, an SQLite file of another program, or a store
  /// written by a newer Lyra is refused with an error naming the file.
  /// A `postgresql://…?task=ID` URL opens (or creates) that task in a PostgreSQL database instead.
  public convenience init(path: String, create: Bool = true) throws {
    if PostgresLocation.isPostgres(path) {
      try self.init(postgres: try PostgresLocation(path), create: create)
      return
    }
    if !create && !FileManager.default.fileExists(atPath: path) { throw StoreError("\(path): no trial store here") }
    let db: SQLiteDatabase
    do { db = try SQLiteDatabase(path: path, create: create) } catch let e as SQLiteError {
      throw StoreError("\(path): cannot open the trial store: \(e.message)")
    }
    try TrialStore.checkAndCreate(db, path: path)
    self.init(db: db, path: path, directory: PathText.parent(path), task: nil, reopenPath: path, childEnvironment: [:])
  }

  /// Opens task `location.task` in a PostgreSQL database (creating or migrating its schema when `create`).
  public convenience init(postgres location: PostgresLocation, create: Bool = true, reconnectFor: Double = 60) throws {
    guard let task = location.task else {
      throw StoreError("\(location.redacted): name the task (?task=ID in the URL, or --task ID)")
    }
    let db = try PostgresConnection(location, reconnectFor: reconnectFor)
    try PostgresStoreSchema.open(db, task: task, create: create)
    let local = FileManager.default.currentDirectoryPath + "/tasks/" + task
    self.init(db: db, path: location.redacted, directory: local, task: task,
              reopenPath: location.password == nil ? location.redacted : location.conninfo + "&task=" + task,
              childEnvironment: location.childEnvironment)
  }

  private init(db: StoreConnection, path: String, directory: String, task: String?, reopenPath: String, childEnvironment: [String: String]) {
    self.db = db
    self.path = path
    self.directory = directory
    self.task = task
    self.reopenPath = reopenPath
    self.childEnvironment = childEnvironment
  }

  /// Makes this process the task's only coordinator (PostgreSQL: a session advisory lock on the task, held until
  /// this connection closes). A coordinator killed by SIGKILL releases it when the server sees its socket close,
  /// which is soon but not instant, so a resumed coordinator tries for `wait` seconds before it is refused. After a
  /// server restart the lock is taken again on reconnection if it is free. SQLite tasks are guarded by their
  /// folder's TaskLock instead, so this is a no-op there.
  public func lockCoordinator(wait: Double = 10) throws {
    guard let task, let pg = db as? PostgresConnection else { return }
    let lock = "SELECT pg_try_advisory_lock(hashtext('coordinator:' || '\(task)'))"
    let deadline = Date(timeIntervalSinceNow: wait)
    var pause = 0.05
    while try pg.scalar(lock)?.int != 1 {
      guard Date() < deadline else {
        throw StoreError("\(path): task \(task) already has a running coordinator (lyra run); start workers with lyra worker --store instead")
      }
      Thread.sleep(forTimeInterval: pause)
      pause = min(pause * 2, 1)
    }
    if !pg.sessionSetup.contains(lock) { pg.sessionSetup.append(lock) }
  }

  /// The tasks stored in the PostgreSQL database at `url` (its `task` parameter is ignored).
  public static func postgresTasks(_ url: String) throws -> [String] {
    try PostgresStoreSchema.tasks(try PostgresConnection(try PostgresLocation(url)))
  }

  private static func checkAndCreate(_ db: SQLiteDatabase, path: String) throws {
    func header() throws -> (Int, Int, Int) {
      let app = try db.scalar("PRAGMA application_id")?.int ?? 0
      let version = try db.scalar("PRAGMA user_version")?.int ?? 0
      let tables = try db.scalar("SELECT count(*) FROM sqlite_master")?.int ?? 0
      return (app, version, tables)
    }
    let (app, version, tables): (Int, Int, Int)
    do {
      (app, version, tables) = try header()
    } catch let e as SQLiteError {
      throw StoreError("\(path): not a Lyra trial store (\(e.code == SQLITE_NOTADB ? "file is not an SQLite database" : e.message))")
    }
    if app == 0 && tables == 0 {
      do {
        // WAL must be switched outside a transaction; it persists in the file.
        try db.execute("PRAGMA journal_mode=WAL")
        try db.transaction(immediate: true) {
          // Re-check under the write lock: another process may have created it meanwhile.
          let (app2, _, tables2) = try header()
          guard app2 == 0 && tables2 == 0 else { return }
          try db.execute(StoreSchema.create)
          try db.execute("PRAGMA application_id=\(StoreSchema.applicationID)")
          try db.execute("PRAGMA user_version=\(StoreSchema.version)")
        }
      } catch let e as SQLiteError {
        throw StoreError("\(path): cannot create the trial store: \(e.message)")
      }
      return try checkAndCreateDone(db, path: path)
    }
    guard app == Int(StoreSchema.applicationID) else {
      throw StoreError("\(path): not a Lyra trial store (an SQLite database of another program, application_id \(app))")
    }
    guard version <= StoreSchema.version else {
      throw StoreError("\(path): trial store schema version \(version) is newer than this lyra's (\(StoreSchema.version)); upgrade lyra")
    }
    guard version == StoreSchema.version else {
      throw StoreError("\(path): trial store schema version \(version) is not supported (expected \(StoreSchema.version))")
    }
    try checkAndCreateDone(db, path: path)
  }

  private static func checkAndCreateDone(_ db: SQLiteDatabase, path: String) throws {
    do {
      try db.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON")
    } catch let e as SQLiteError { throw StoreError("\(path): \(e.message)") }
  }

  /// Wall-clock seconds since 1970: heartbeats are compared across processes and machines.
  public static func now() -> Double { Date().timeIntervalSince1970 }

  /// Runs `body` as one transaction (BEGIN IMMEDIATE); store calls inside it join it.
  /// Why public: the runner must write a trial row and the algorithm state atomically.
  public func transaction<T>(_ body: () throws -> T) throws -> T { try db.transaction(body) }

  func parse(_ text: String?, _ what: String) throws -> JSON? {
    guard let text else { return nil }
    do { return try JSON.parse(Data(text.utf8)) } catch { throw StoreError("\(path): \(what) is not valid JSON: \(error)") }
  }

  // MARK: task metadata

  /// Sets a metadata entry (the resolved config, the seed, versions, ...).
  public func setMeta(_ key: String, _ value: JSON) throws {
    try db.query("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 [.text(key), .text(value.text)])
  }

  public func meta(_ key: String) throws -> JSON? {
    try parse(try db.scalar("SELECT value FROM meta WHERE key = ?", [.text(key)])?.string, "meta \(key)")
  }

  public func allMeta() throws -> [String: JSON] {
    var out: [String: JSON] = [:]
    for r in try db.query("SELECT key, value FROM meta") {
      if let k = r[0].string { out[k] = try parse(r[1].string, "meta \(k)") }
    }
    return out
  }

  // MARK: steps and algorithm state

  /// Adds a step. Adding an existing step with the same kind and config is a no-op;
  /// with a different one it is an error (a resumed task must run the same pipeline).
  public func addStep(_ name: String, kind: String, config: JSON) throws {
    try transaction {
      if let old = try step(name) {
        guard old.kind == kind, old.config == config else {
          throw StoreError("\(path): step \(name) exists with kind \(old.kind) and config \(old.config.text), not \(kind) \(config.text)")
        }
        return
      }
      let t = TrialStore.now()
      try db.query("INSERT INTO steps(name, kind, config, status, created_at, updated_at) VALUES (?, ?, ?, 'running', ?, ?)",
                   [.text(name), .text(kind), .text(config.text), .real(t), .real(t)])
    }
  }

  public func step(_ name: String) throws -> StoredStep? {
    try db.query("SELECT name, kind, config, status FROM steps WHERE name = ?", [.text(name)]).first.map(stepRecord)
  }

  public func steps() throws -> [StoredStep] {
    try db.query("SELECT name, kind, config, status FROM steps ORDER BY created_at, name").map(stepRecord)
  }

  private func stepRecord(_ r: SQLiteRow) throws -> StoredStep {
    let name = r[0].string ?? ""
    return StoredStep(name: name, kind: r[1].string ?? "", config: try parse(r[2].string, "step \(name) config") ?? .null,
                      status: r[3].string ?? "")
  }

  public func setStepStatus(_ name: String, _ status: String) throws {
    try db.query("UPDATE steps SET status = ?, updated_at = ? WHERE name = ?", [.text(status), .real(TrialStore.now()), .text(name)])
  }

  /// Saves a step's search-algorithm state (call inside the transaction that changes
  /// the trials the state describes).
  public func saveState(step: String, _ state: JSON) throws {
    try db.query("""
      INSERT INTO algorithm_state(step, value, updated_at) VALUES (?, ?, ?)
      ON CONFLICT(step) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
      """, [.text(step), .text(state.text), .real(TrialStore.now())])
  }

  public func state(step: String) throws -> JSON? {
    try parse(try db.scalar("SELECT value FROM algorithm_state WHERE step = ?", [.text(step)])?.string, "state of step \(step)")
  }
}
