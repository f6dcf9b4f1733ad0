import Foundation

/// The PostgreSQL trial store's tables: one PostgreSQL schema per task (`lyra_task_<id>`), versioned by the
/// `schema_version` table (one row per migration applied) instead of SQLite's `PRAGMA user_version`.
///
/// The columns are SQLite's (StoreSchema explains each) in PostgreSQL types: `double precision` for SQLite's REAL
/// (same 64-bit values, so configs and heartbeats round-trip exactly), `bigserial` for the claim order.
///
/// Migrations run in order inside one transaction under an advisory lock, so several processes opening a new or
/// older task at once migrate it once; a schema written by a newer Lyra is refused by name.
enum PostgresStoreSchema {
  /// Schema names of tasks start with this.
  static let prefix = "lyra_task_"
  /// Serialises creation and migration across processes ("LYRA").
  static let advisoryLock: Int64 = 0x4C59_5241

  static func schema(task: String) -> String { prefix + task }

  /// Migration k (1-based) brings the schema from version k-1 to k.
  static let migrations: [String] = [
    // 1: the tables of SQLite's version 1.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE steps (
      name TEXT PRIMARY KEY, kind TEXT NOT NULL, config TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'running',
      created_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL);
    CREATE TABLE algorithm_state (
      step TEXT PRIMARY KEY REFERENCES steps(name), value TEXT NOT NULL, updated_at DOUBLE PRECISION NOT NULL);
    CREATE TABLE trials (
      seq BIGSERIAL PRIMARY KEY,
      step TEXT NOT NULL REFERENCES steps(name),
      trial INTEGER NOT NULL,
      config TEXT NOT NULL,
      budget DOUBLE PRECISION, rung INTEGER, bracket INTEGER, resume_from INTEGER,
      status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'pruned')),
      worker TEXT, heartbeat_at DOUBLE PRECISION, attempts INTEGER NOT NULL DEFAULT 0,
      result TEXT, error TEXT, checkpoint TEXT, told INTEGER NOT NULL DEFAULT 0,
      created_at DOUBLE PRECISION NOT NULL, started_at DOUBLE PRECISION, finished_at DOUBLE PRECISION,
      UNIQUE (step, trial));
    CREATE INDEX trials_by_status ON trials (status, seq);
    """,
    // 2: trial artifacts (files later steps read), in chunks, for workers without the coordinator's disk.
    """
    CREATE TABLE artifacts (
      step TEXT NOT NULL, trial INTEGER NOT NULL, name TEXT NOT NULL, chunk INTEGER NOT NULL, data BYTEA NOT NULL,
      PRIMARY KEY (step, trial, name, chunk));
    """,
  ]
  static var version: Int { migrations.count }

  /// Opens task `task` on `db` (creating or migrating its schema when `create`), and makes it the connection's
  /// search path for this and every later reconnection.
  static func open(_ db: PostgresConnection, task: String, create: Bool, upTo target: Int = version) throws {
    let name = schema(task: task)
    let quoted = "\"\(name)\""
    try db.transaction {
      let exists = try db.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = ?", [.text(name)])?.int ?? 0
      if exists == 0 && !create { throw StoreError("\(db.location): no task \(task) in this database (lyra status --store URL lists them)") }
      try db.execute("SELECT pg_advisory_xact_lock(\(advisoryLock))")
      try db.execute("CREATE SCHEMA IF NOT EXISTS \(quoted)")
      try db.execute("SET LOCAL search_path TO \(quoted)")
      let tables = try db.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = ?", [.text(name)])?.int ?? 0
      let hasVersion = try db.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = ? AND tablename = 'schema_version'", [.text(name)])?.int ?? 0
      if tables > 0 && hasVersion == 0 {
        throw StoreError("\(db.location): schema \(name) holds tables that are not a Lyra trial store; use another task id")
      }
      if hasVersion == 0 {
        try db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)")
      }
      let current = try db.scalar("SELECT coalesce(max(version), 0) FROM schema_version")?.int ?? 0
      guard current <= version else {
        throw StoreError("\(db.location): trial store schema version \(current) is newer than this lyra's (\(version)); upgrade lyra")
      }
      guard current < target else { return }
      guard create else { throw StoreError("\(db.location): trial store schema version \(current) is older than \(target); open it with create to migrate") }
      for v in (current + 1)...target {
        try db.execute(migrations[v - 1])
        try db.query("INSERT INTO schema_version(version, applied_at) VALUES (?, ?)", [.integer(Int64(v)), .real(TrialStore.now())])
      }
    }
    db.sessionSetup = ["SET search_path TO \(quoted)"]
    try db.execute(db.sessionSetup[0])
  }

  /// Every task in the database, by id.
  static func tasks(_ db: PostgresConnection) throws -> [String] {
    try db.query("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, ?) ORDER BY nspname", [.text(prefix)])
      .compactMap { $0[0].string.map { String($0.dropFirst(prefix.count)) } }
  }
}
