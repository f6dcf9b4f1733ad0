/// The trial store's tables, versioned with `PRAGMA user_version` and marked as Lyra's
/// with `PRAGMA application_id`, so a foreign or newer file is refused by name instead
/// of being written into.
///
/// Why the columns look the way they do:
/// - `config`, `result` and `value` are JSON text: trials are data (docs/architecture.md#descriptions-are-data), and
///   any tool (sqlite3, a PostgreSQL client) can read them. Configs and results use
///   LyraSearch's lossless `StateCodec` form (typed values, NaN/inf as strings) so a trial
///   resumed from the store gets bit-identical inputs.
/// - `told` separates "a worker wrote the result" from "the algorithm has seen it": a
///   worker's write and the runner's tell are different processes' transactions, and a
///   runner restarted between them must still tell the result exactly once.
/// - `attempts` counts claims; `heartbeat_at` (wall-clock seconds, so workers on other
///   machines compare) lets any process hand a dead worker's trial out again.
/// - `checkpoint` is the trial's checkpoint directory, kept across requeues so a
///   restarted attempt continues from the last checkpoint.
/// - `seq` (the rowid) orders claims: oldest first, so a requeued trial runs next.
enum StoreSchema {
  static let version = 1
  /// "LYRA" as a big-endian 32-bit integer.
  static let applicationID: Int32 = 0x4C59_5241

  static let create = """
    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE steps (
      name TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      config TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'running',
      created_at REAL NOT NULL,
      updated_at REAL NOT NULL
    );
    CREATE TABLE algorithm_state (
      step TEXT PRIMARY KEY REFERENCES steps(name),
      value TEXT NOT NULL,
      updated_at REAL NOT NULL
    );
    CREATE TABLE trials (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      step TEXT NOT NULL REFERENCES steps(name),
      trial INTEGER NOT NULL,
      config TEXT NOT NULL,
      budget REAL,
      rung INTEGER,
      bracket INTEGER,
      resume_from INTEGER,
      status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'pruned')),
      worker TEXT,
      heartbeat_at REAL,
      attempts INTEGER NOT NULL DEFAULT 0,
      result TEXT,
      error TEXT,
      checkpoint TEXT,
      told INTEGER NOT NULL DEFAULT 0,
      created_at REAL NOT NULL,
      started_at REAL,
      finished_at REAL,
      UNIQUE (step, trial)
    );
    CREATE INDEX trials_by_status ON trials (status, seq);
    """
}
