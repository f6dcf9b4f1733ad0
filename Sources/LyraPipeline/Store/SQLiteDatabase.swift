import CSQLite
import Foundation

/// One SQLite connection: statements, transactions, busy timeout.
///
/// Use one connection per thread (open another for a heartbeat thread): statements and
/// transactions belong to a connection, so sharing one across threads would interleave
/// them. Connections are opened FULLMUTEX anyway, so misuse corrupts nothing.
public final class SQLiteDatabase {
  let handle: OpaquePointer
  public let path: String

  /// Opens (and with `create`, creates) the file at `path`. Opening is lazy in SQLite:
  /// a file that is not a database fails at the first statement, not here.
  public init(path: String, create: Bool = true, busyTimeoutMs: Int32 = 30_000) throws {
    var h: OpaquePointer?
    let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_FULLMUTEX
    let rc = sqlite3_open_v2(path, &h, flags, nil)
    guard rc == SQLITE_OK, let h else {
      let msg = h.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
      sqlite3_close_v2(h)
      throw SQLiteError(code: rc, message: msg, path: path)
    }
    self.handle = h
    self.path = path
    sqlite3_extended_result_codes(h, 1)
    sqlite3_busy_timeout(h, busyTimeoutMs)
  }

  deinit { sqlite3_close_v2(handle) }

  func error(_ rc: Int32, _ what: String) -> SQLiteError {
    SQLiteError(code: rc, message: "\(what): \(String(cString: sqlite3_errmsg(handle)))", path: path)
  }

  /// Runs one or more statements without arguments (schema, pragmas).
  public func execute(_ sql: String) throws {
    var err: UnsafeMutablePointer<CChar>?
    let rc = sqlite3_exec(handle, sql, nil, nil, &err)
    if rc != SQLITE_OK {
      let msg = err.map { String(cString: $0) } ?? "error"
      sqlite3_free(err)
      throw SQLiteError(code: rc, message: msg, path: path)
    }
  }

  public func prepare(_ sql: String) throws -> SQLiteStatement { try SQLiteStatement(db: self, sql: sql) }

  /// Runs one statement with arguments and returns its rows (empty for writes).
  @discardableResult
  public func query(_ sql: String, _ args: [SQLiteValue] = []) throws -> [SQLiteRow] {
    try prepare(sql).rows(args)
  }

  /// The first column of the first row, or nil.
  public func scalar(_ sql: String, _ args: [SQLiteValue] = []) throws -> SQLiteValue? {
    try query(sql, args).first?.values.first
  }

  /// Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  public var changes: Int { Int(sqlite3_changes(handle)) }

  /// True while a transaction is open on this connection.
  public var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

  /// Runs `body` in a transaction; rolls back when it throws.
  ///
  /// IMMEDIATE (the default) takes the write lock at BEGIN. Why: in WAL mode a deferred
  /// transaction that reads and then writes can fail with SQLITE_BUSY_SNAPSHOT without
  /// the busy handler ever waiting, while BEGIN IMMEDIATE waits its turn (busy timeout)
  /// and then sees the latest data, so read-then-write logic (claim) is atomic.
  /// A call inside an open transaction joins it (the outer one commits or rolls back).
  public func transaction<T>(immediate: Bool = true, _ body: () throws -> T) throws -> T {
    if inTransaction { return try body() }
    try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
    do {
      let value = try body()
      try execute("COMMIT")
      return value
    } catch {
      if inTransaction { try? execute("ROLLBACK") }
      throw error
    }
  }
}
