/// One connection to a trial store's database: the backend interface `TrialStore` is written against.
///
/// Why the seam is here (SQL in, rows out) and not a second `TrialStore`: the two backends share every statement
/// that decides a trial's fate (the status and owner guards in each WHERE clause), so exactly-once completion,
/// attempt counting and requeues are one piece of code, proved by one test suite run against both
/// (Tests/LyraPipelineTests/StoreSuite.swift). Only what the SQL dialects spell differently goes through `dialect`.
///
/// Statements use `?` placeholders; a backend that numbers them (PostgreSQL's `$1`) rewrites them.
public protocol StoreConnection: AnyObject {
  var dialect: StoreDialect { get }
  /// Where the database is, safe to print: a PostgreSQL URL has its password removed.
  var location: String { get }
  /// Runs statements without arguments (schema).
  func execute(_ sql: String) throws
  /// Runs one statement with arguments and returns its rows (empty for writes without RETURNING).
  @discardableResult
  func query(_ sql: String, _ args: [SQLiteValue]) throws -> [SQLiteRow]
  /// Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  var changes: Int { get }
  /// Runs `body` as one transaction, rolled back when it throws; a call inside an open transaction joins it.
  func transaction<T>(_ body: () throws -> T) throws -> T
}

extension StoreConnection {
  @discardableResult
  public func query(_ sql: String) throws -> [SQLiteRow] { try query(sql, []) }

  /// The first column of the first row, or nil.
  public func scalar(_ sql: String, _ args: [SQLiteValue] = []) throws -> SQLiteValue? {
    try query(sql, args).first?.values.first
  }
}

/// What the SQL of the two backends spells differently.
public enum StoreDialect: Sendable {
  case sqlite, postgresql

  /// Appended to the sub-select that picks the trial to claim. PostgreSQL: concurrent claimers skip each other's
  /// locked rows instead of queueing behind them or double-claiming. SQLite: BEGIN IMMEDIATE already serialises
  /// writers, and it has no row locks.
  var skipLocked: String { self == .postgresql ? "FOR UPDATE SKIP LOCKED" : "" }

  /// Appended to a SELECT whose rows the same transaction then updates (requeues): PostgreSQL locks them, so a
  /// heartbeat or result landing meanwhile waits and the stale test is re-checked on the newest row.
  var forUpdate: String { self == .postgresql ? "FOR UPDATE" : "" }
}

extension SQLiteDatabase: StoreConnection {
  public var dialect: StoreDialect { .sqlite }
  public var location: String { path }
  public func transaction<T>(_ body: () throws -> T) throws -> T { try transaction(immediate: true, body) }
}
