import Foundation
import LyraBase
import LyraSearch

/// Trials: insert, claim, heartbeat, finish, requeue, and queries.
///
/// Every state change is guarded by the status (and the owning worker) in its WHERE
/// clause, so a worker whose trial was handed out again cannot overwrite the new
/// owner's result: its `finish` or `heartbeat` returns false and it drops the trial.
extension TrialStore {
  /// Adds a trial handed out by the algorithm as pending. Call inside the transaction
  /// that also saves the algorithm state.
  public func insert(_ trial: Trial, step: String, checkpoint: String? = nil) throws {
    try db.query("""
      INSERT INTO trials(step, trial, config, budget, rung, bracket, resume_from, status, checkpoint, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
      """, [.text(step), SQLiteValue(trial.id), .text(StateCodec.config(trial.config).text), SQLiteValue(trial.budget),
            SQLiteValue(trial.rung), SQLiteValue(trial.bracket), SQLiteValue(trial.resumeFrom), SQLiteValue(checkpoint),
            .real(TrialStore.now())])
  }

  /// Atomically takes the oldest pending trial (of `step`, or of any step) for `worker`:
  /// pending → running, attempts + 1, heartbeat now. Nil when none is pending.
  ///
  /// SQLite: BEGIN IMMEDIATE serialises writers, so the select-and-update inside it can
  /// never hand one trial to two workers. PostgreSQL (many machines): the sub-select ends in
  /// FOR UPDATE SKIP LOCKED, so concurrent claimers skip each other's locked rows instead of
  /// waiting or double-claiming.
  public func claim(worker: String, step: String? = nil) throws -> StoredTrial? {
    let now = TrialStore.now()
    let stepFilter = step == nil ? "" : "AND step = ?"
    let args: [SQLiteValue] = [.text(worker), .real(now), .real(now)] + (step.map { [.text($0)] } ?? [])
    return try transaction {
      try db.query("""
        UPDATE trials SET status = 'running', worker = ?, heartbeat_at = ?, started_at = ?, attempts = attempts + 1
        WHERE seq = (SELECT seq FROM trials WHERE status = 'pending' \(stepFilter) ORDER BY seq LIMIT 1 \(db.dialect.skipLocked))
        RETURNING \(StoredTrial.columns)
        """, args).first.map { try StoredTrial(row: $0, path: path) }
    }
  }

  /// Refreshes a running trial's heartbeat. False when `worker` no longer owns it
  /// (it was requeued as stale): the worker must abandon the trial.
  @discardableResult
  public func heartbeat(step: String, trial: Int, worker: String) throws -> Bool {
    try db.query("UPDATE trials SET heartbeat_at = ? WHERE step = ? AND trial = ? AND status = 'running' AND worker = ?",
                 [.real(TrialStore.now()), .text(step), SQLiteValue(trial), .text(worker)])
    return db.changes == 1
  }

  /// Records the checkpoint directory or file a trainer last wrote for a trial.
  public func setCheckpoint(step: String, trial: Int, _ checkpoint: String) throws {
    try db.query("UPDATE trials SET checkpoint = ? WHERE step = ? AND trial = ?", [.text(checkpoint), .text(step), SQLiteValue(trial)])
  }

  /// Writes a running trial's result (status from `result.status`). False when `worker`
  /// no longer owns the trial, in which case nothing is written. `told: true` when the
  /// caller tells the algorithm in the same transaction (the in-process runner).
  @discardableResult
  public func finish(step: String, trial: Int, worker: String, result: TrialResult, error: String? = nil, told: Bool = false) throws -> Bool {
    let now = TrialStore.now()
    try db.query("""
      UPDATE trials SET status = ?, result = ?, error = ?, finished_at = ?, heartbeat_at = ?, told = ?
      WHERE step = ? AND trial = ? AND status = 'running' AND worker = ?
      """, [.text(TrialStatus(result.status).rawValue), .text(StateCodec.result(result).text), SQLiteValue(error), .real(now),
            .real(now), SQLiteValue(told ? 1 : 0), .text(step), SQLiteValue(trial), .text(worker)])
    return db.changes == 1
  }

  /// Marks a finished trial as told to the algorithm (same transaction as the state).
  public func markTold(step: String, trial: Int) throws {
    try db.query("UPDATE trials SET told = 1 WHERE step = ? AND trial = ?", [.text(step), SQLiteValue(trial)])
  }

  /// Puts a running trial back to pending without counting it against its attempts
  /// (an interrupt, not a failure of the trial). `worker` nil: whoever owns it.
  @discardableResult
  public func requeue(step: String, trial: Int, worker: String? = nil, reason: String? = nil) throws -> Bool {
    let ownerFilter = worker == nil ? "" : "AND worker = ?"
    try db.query("""
      UPDATE trials SET status = 'pending', worker = NULL, heartbeat_at = NULL, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, error = ?
      WHERE step = ? AND trial = ? AND status = 'running' \(ownerFilter)
      """, [SQLiteValue(reason), .text(step), SQLiteValue(trial)] + (worker.map { [.text($0)] } ?? []))
    return db.changes == 1
  }

  /// Puts the running trials of `step` back to pending: on resume, the processes that
  /// ran them died with the runner. Checkpoints are kept; attempts are not counted
  /// (the runner died, not the trial). `ownerPrefix`: only trials whose worker's name starts with it (a resumed
  /// coordinator takes back only its predecessor's trials, `runner:…`; a worker started elsewhere may still be
  /// running its trial, and its lease decides). Returns the trial ids.
  @discardableResult
  public func requeueRunning(step: String, reason: String = "requeued on resume", ownerPrefix: String? = nil) throws -> [Int] {
    try transaction {
      let owner = ownerPrefix == nil ? "" : "AND substr(worker, 1, \(ownerPrefix!.utf8.count)) = ?"
      let ids = try db.query("SELECT trial FROM trials WHERE step = ? AND status = 'running' \(owner) ORDER BY seq",
                             [.text(step)] + (ownerPrefix.map { [.text($0)] } ?? [])).compactMap { $0[0].int }
      for id in ids { try requeue(step: step, trial: id, reason: reason) }
      return ids
    }
  }

  /// Hands out again the running trials whose heartbeat is older than `olderThan`
  /// seconds (their worker died or hangs): back to pending, or, once a trial has been
  /// claimed `maxAttempts` times, failed (a trial that keeps killing its worker must not
  /// stall the search). Any process may call this; it is idempotent. Returns the
  /// changed trials in their new state.
  @discardableResult
  public func requeueStale(olderThan: Double, maxAttempts: Int = 3, step: String? = nil, now: Double = TrialStore.now()) throws -> [StoredTrial] {
    let stepFilter = step == nil ? "" : "AND step = ?"
    return try transaction {
      let stale = try db.query("""
        SELECT step, trial, worker, attempts FROM trials
        WHERE status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < ?) \(stepFilter) ORDER BY seq \(db.dialect.forUpdate)
        """, [.real(now - olderThan)] + (step.map { [.text($0)] } ?? []))
      return try handBack(stale, maxAttempts: maxAttempts, now: now, why: "stopped heartbeating")
    }
  }

  /// Hands out again (or fails, after `maxAttempts`) the running trials of `worker`, a
  /// worker process known to have exited: the runner that started it saw it die.
  @discardableResult
  public func requeueWorker(_ worker: String, maxAttempts: Int = 3, step: String? = nil) throws -> [StoredTrial] {
    let stepFilter = step == nil ? "" : "AND step = ?"
    return try transaction {
      let mine = try db.query("""
        SELECT step, trial, worker, attempts FROM trials WHERE status = 'running' AND worker = ? \(stepFilter) ORDER BY seq \(db.dialect.forUpdate)
        """, [.text(worker)] + (step.map { [.text($0)] } ?? []))
      return try handBack(mine, maxAttempts: maxAttempts, now: TrialStore.now(), why: "exited")
    }
  }

  /// Rows (step, trial, worker, attempts) of running trials whose worker is gone: back
  /// to pending, or failed once claimed `maxAttempts` times. Call inside a transaction.
  private func handBack(_ rows: [SQLiteRow], maxAttempts: Int, now: Double, why: String) throws -> [StoredTrial] {
    var changed: [StoredTrial] = []
    for r in rows {
      guard let s = r[0].string, let id = r[1].int else { continue }
      let attempts = r[3].int ?? 0, who = r[2].string ?? "?"
      if attempts >= maxAttempts {
        try db.query("""
          UPDATE trials SET status = 'failed', result = ?, error = ?, finished_at = ?, told = 0
          WHERE step = ? AND trial = ? AND status = 'running'
          """, [.text(StateCodec.result(.failed()).text),
                .text("worker \(who) \(why) on attempt \(attempts) of \(maxAttempts)"), .real(now), .text(s), SQLiteValue(id)])
      } else {
        try db.query("""
          UPDATE trials SET status = 'pending', worker = NULL, heartbeat_at = NULL, error = ?
          WHERE step = ? AND trial = ? AND status = 'running'
          """, [.text("requeued: worker \(who) \(why) on attempt \(attempts)"), .text(s), SQLiteValue(id)])
      }
      if let rec = try trial(step: s, id: id) { changed.append(rec) }
    }
    return changed
  }

  // MARK: queries

  public func trial(step: String, id: Int) throws -> StoredTrial? {
    try db.query("SELECT \(StoredTrial.columns) FROM trials WHERE step = ? AND trial = ?", [.text(step), SQLiteValue(id)])
      .first.map { try StoredTrial(row: $0, path: path) }
  }

  /// The step's trials in id order, optionally only those with one status.
  public func trials(step: String, status: TrialStatus? = nil) throws -> [StoredTrial] {
    let filter = status == nil ? "" : "AND status = ?"
    return try db.query("SELECT \(StoredTrial.columns) FROM trials WHERE step = ? \(filter) ORDER BY trial",
                        [.text(step)] + (status.map { [.text($0.rawValue)] } ?? [])).map { try StoredTrial(row: $0, path: path) }
  }

  /// Finished trials whose result the algorithm has not been told yet, oldest first.
  public func untold(step: String) throws -> [StoredTrial] {
    try db.query("""
      SELECT \(StoredTrial.columns) FROM trials
      WHERE step = ? AND told = 0 AND status IN ('completed', 'failed', 'pruned') ORDER BY finished_at, seq
      """, [.text(step)]).map { try StoredTrial(row: $0, path: path) }
  }

  /// How many trials of `step` are in each status (absent statuses count 0).
  public func counts(step: String) throws -> [TrialStatus: Int] {
    var out: [TrialStatus: Int] = [:]
    for s in TrialStatus.allCases { out[s] = 0 }
    for r in try db.query("SELECT status, count(*) FROM trials WHERE step = ? GROUP BY status", [.text(step)]) {
      if let s = r[0].string.flatMap(TrialStatus.init(rawValue:)) { out[s] = r[1].int ?? 0 }
    }
    return out
  }
}
