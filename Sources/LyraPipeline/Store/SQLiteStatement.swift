import CSQLite

/// A prepared statement: bind, step, read columns, finalize on deinit.
///
/// Why a class: finalization must happen exactly once, and before the connection closes
/// (the statement keeps its database alive through `db`).
public final class SQLiteStatement {
  let handle: OpaquePointer
  let db: SQLiteDatabase
  public let sql: String

  init(db: SQLiteDatabase, sql: String) throws {
    var h: OpaquePointer?
    let rc = sqlite3_prepare_v2(db.handle, sql, -1, &h, nil)
    guard rc == SQLITE_OK, let h else {
      sqlite3_finalize(h)
      throw db.error(rc, "prepare \(sql.prefix(60))")
    }
    self.handle = h
    self.db = db
    self.sql = sql
  }

  deinit { sqlite3_finalize(handle) }

  /// Binds `values` to parameters 1...n (after resetting the statement).
  public func bind(_ values: [SQLiteValue]) throws {
    sqlite3_reset(handle)
    sqlite3_clear_bindings(handle)
    let want = Int(sqlite3_bind_parameter_count(handle))
    guard want == values.count else {
      throw SQLiteError(code: SQLITE_RANGE, message: "statement wants \(want) arguments, got \(values.count): \(sql)", path: db.path)
    }
    for (k, v) in values.enumerated() {
      let i = Int32(k + 1)
      let rc: Int32
      switch v {
      case .null: rc = sqlite3_bind_null(handle, i)
      case .integer(let x): rc = sqlite3_bind_int64(handle, i, x)
      case .real(let x): rc = sqlite3_bind_double(handle, i, x)
      case .text(let s): rc = sqlite3_bind_text(handle, i, s, -1, lyra_sqlite_transient())
      case .blob(let b):
        rc = b.withUnsafeBytes { sqlite3_bind_blob(handle, i, $0.baseAddress, Int32($0.count), lyra_sqlite_transient()) }
      }
      guard rc == SQLITE_OK else { throw db.error(rc, "bind \(i)") }
    }
  }

  /// Advances one row: true when a row is available, false when done.
  public func step() throws -> Bool {
    let rc = sqlite3_step(handle)
    switch rc {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default:
      let e = db.error(rc, "step \(sql.prefix(60))")
      sqlite3_reset(handle)
      throw e
    }
  }

  public var columnCount: Int { Int(sqlite3_column_count(handle)) }
  public func columnName(_ i: Int) -> String { String(cString: sqlite3_column_name(handle, Int32(i))) }

  /// The current row's value in column `i`.
  public func column(_ i: Int) -> SQLiteValue {
    let c = Int32(i)
    switch sqlite3_column_type(handle, c) {
    case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, c))
    case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, c))
    case SQLITE_TEXT:
      guard let p = sqlite3_column_text(handle, c) else { return .text("") }
      return .text(String(cString: p))
    case SQLITE_BLOB:
      let n = Int(sqlite3_column_bytes(handle, c))
      guard n > 0, let p = sqlite3_column_blob(handle, c) else { return .blob([]) }
      return .blob(Array(UnsafeRawBufferPointer(start: p, count: n)))
    default: return .null
    }
  }

  /// Runs with `values` and returns every row.
  public func rows(_ values: [SQLiteValue] = []) throws -> [SQLiteRow] {
    try bind(values)
    defer { sqlite3_reset(handle) }
    let names = (0..<columnCount).map(columnName)
    var out: [SQLiteRow] = []
    while try step() { out.append(SQLiteRow(columns: names, values: (0..<names.count).map(column))) }
    return out
  }
}
