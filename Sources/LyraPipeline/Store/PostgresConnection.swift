import CPostgres
import Foundation

/// A PostgreSQL failure: SQLSTATE and libpq's message, passwords removed.
public struct PostgresError: Error, CustomStringConvertible {
  public var sqlstate: String?
  public var message: String
  /// True when the connection broke (server restarted, network gone): the operation may be retried on a new one.
  public var connectionLost: Bool
  public var description: String { message + (sqlstate.map { " (SQLSTATE \($0))" } ?? "") }
}

/// One libpq connection: blocking statements (the worker loop is blocking, as with SQLite), text results typed
/// by column OID, and reconnection with backoff when the server goes away.
///
/// Reconnection: a statement outside a transaction that finds the connection broken reconnects (backoff from
/// 50 ms doubling to 2 s, for up to `reconnectFor` seconds) and runs again; a transaction that loses its connection
/// is rolled back by the server, so `transaction` reconnects and runs its body again from the start. Callers'
/// transaction bodies therefore hold only store calls (the runner asks and tells its algorithm outside them).
/// A write whose COMMIT was in flight when the connection broke may have happened: a rerun then finds its guard
/// false (a `finish` returns false, an `insert` hits the unique key) and says so rather than writing twice.
public final class PostgresConnection: StoreConnection {
  private var handle: OpaquePointer?
  public let target: PostgresLocation
  public var dialect: StoreDialect { .postgresql }
  public var location: String { target.redacted }
  public private(set) var changes = 0
  private var depth = 0
  /// Statements run after every (re)connect (the task's search_path).
  var sessionSetup: [String] = []
  public var reconnectFor: Double
  /// Reconnections made so far (tests check that a restart was survived, not slept through).
  public private(set) var reconnects = 0

  public init(_ target: PostgresLocation, reconnectFor: Double = 60) throws {
    self.target = target
    self.reconnectFor = reconnectFor
    do { try connect() } catch let e as PostgresError where PostgresConnection.serverAway(e.message) {
      try reconnect()  // the server is restarting (or not up yet): wait for it as a lost connection would
    }
  }

  /// A first connection that failed because the server is not there right now (restarting, starting up, shutting
  /// down) is retried like a lost one; a wrong host name, role, database or password fails at once.
  static func serverAway(_ message: String) -> Bool {
    ["Connection refused", "No such file or directory", "starting up", "shutting down", "recovery mode"].contains { message.contains($0) }
  }

  deinit { PQfinish(handle) }

  private func connect() throws {
    PQfinish(handle)
    handle = nil
    // Earlier keywords are defaults the URL (expanded from dbname) overrides.
    let keys = ["connect_timeout", "application_name", "dbname"], values = ["10", "lyra", target.conninfo]
    let h = withCStrings(keys) { k in withCStrings(values) { v in PQconnectdbParams(k, v, 1) } }
    guard let h, PQstatus(h) == CONNECTION_OK else {
      let msg = h.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
      PQfinish(h)
      throw PostgresError(sqlstate: nil, message: "\(location): cannot connect: \(Redact.urls(in: msg.trimmingCharacters(in: .whitespacesAndNewlines)))",
                          connectionLost: true)
    }
    PQsetNoticeProcessor(h, { _, _ in }, nil)  // "relation already exists, skipping" is not news
    handle = h
    for s in sessionSetup { _ = try once(s, []) }
  }

  /// Reconnects with backoff until it works or `reconnectFor` seconds have passed.
  private func reconnect() throws {
    let deadline = Date(timeIntervalSinceNow: reconnectFor)
    var wait = 0.05
    while true {
      do {
        try connect()
        reconnects += 1
        return
      } catch let e as PostgresError where e.connectionLost && Date() < deadline {
        Thread.sleep(forTimeInterval: wait)
        wait = min(wait * 2, 2)
      }
    }
  }

  private var broken: Bool { handle.map { PQstatus($0) != CONNECTION_OK } ?? true }

  /// Several statements in one string (schema, migrations): the simple query protocol, which allows them.
  public func execute(_ sql: String) throws { _ = try run(sql, nil, retry: depth == 0) }

  @discardableResult
  public func query(_ sql: String, _ args: [SQLiteValue]) throws -> [SQLiteRow] {
    if depth > 0 { return try run(sql, args, retry: false) }
    return try run(sql, args, retry: true)
  }

  @discardableResult
  private func run(_ sql: String, _ args: [SQLiteValue]?, retry: Bool) throws -> [SQLiteRow] {
    if retry && broken { try reconnect() }
    do { return try once(sql, args) } catch let e as PostgresError where e.connectionLost && retry {
      try reconnect()
      return try once(sql, args)
    }
  }

  /// `args` nil: PQexec (any number of statements, no parameters).
  private func once(_ sql: String, _ args: [SQLiteValue]?) throws -> [SQLiteRow] {
    guard let h = handle else { throw PostgresError(sqlstate: nil, message: "\(location): not connected", connectionLost: true) }
    guard let args else { return try rows(PQexec(h, sql), sql: sql, h) }
    let text = args.isEmpty ? sql : PostgresConnection.numberPlaceholders(sql)
    var lengths: [Int32] = [], formats: [Int32] = []
    var buffers: [[CChar]?] = []
    for a in args {
      switch a {
      case .null: buffers.append(nil); lengths.append(0); formats.append(0)
      case .integer(let i): buffers.append(Array(String(i).utf8CString)); lengths.append(0); formats.append(0)
      case .real(let d): buffers.append(Array(PostgresConnection.text(d).utf8CString)); lengths.append(0); formats.append(0)
      case .text(let s): buffers.append(Array(s.utf8CString)); lengths.append(0); formats.append(0)
      case .blob(let b): buffers.append(b.map { CChar(bitPattern: $0) }); lengths.append(Int32(b.count)); formats.append(1)
      }
    }
    let res: OpaquePointer? = withPointers(buffers) { ptrs in
      PQexecParams(h, text, Int32(args.count), nil, ptrs, lengths, formats, 0)
    }
    return try rows(res, sql: sql, h)
  }

  /// A result's rows (cleared here), or its error.
  private func rows(_ res: OpaquePointer?, sql: String, _ h: OpaquePointer) throws -> [SQLiteRow] {
    defer { PQclear(res) }
    let status = res.map(PQresultStatus) ?? PGRES_FATAL_ERROR
    guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK, let res else {
      let state = res.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
      let msg = String(cString: PQerrorMessage(h)).trimmingCharacters(in: .whitespacesAndNewlines)
      throw PostgresError(sqlstate: state, message: "\(location): \(Redact.urls(in: msg)) [\(sql.prefix(60))]",
                          connectionLost: PostgresConnection.lost(state, PQstatus(h)))
    }
    changes = Int(String(cString: PQcmdTuples(res))) ?? 0
    let nc = Int(PQnfields(res)), nr = Int(PQntuples(res))
    let names = (0..<nc).map { String(cString: PQfname(res, Int32($0))) }
    let types = (0..<nc).map { PQftype(res, Int32($0)) }
    var rows: [SQLiteRow] = []
    rows.reserveCapacity(nr)
    for r in 0..<nr {
      var values: [SQLiteValue] = []
      for c in 0..<nc {
        if PQgetisnull(res, Int32(r), Int32(c)) != 0 { values.append(.null); continue }
        let s = String(cString: PQgetvalue(res, Int32(r), Int32(c)))
        values.append(PostgresConnection.value(s, oid: types[c]))
      }
      rows.append(SQLiteRow(columns: names, values: values))
    }
    return rows
  }

  public func transaction<T>(_ body: () throws -> T) throws -> T {
    if depth > 0 { return try body() }
    var tries = 0
    while true {
      tries += 1
      _ = try run("BEGIN", [], retry: true)
      depth += 1
      do {
        let value = try body()
        depth -= 1
        _ = try once("COMMIT", [])
        return value
      } catch let e as PostgresError where e.connectionLost && tries < 5 {
        if depth > 0 { depth -= 1 }
        try reconnect()
      } catch {
        if depth > 0 { depth -= 1 }
        _ = try? once("ROLLBACK", [])
        throw error
      }
    }
  }

  /// Whether a failure means the connection is gone: libpq's own errors carry no SQLSTATE (a socket closed by a
  /// restarting server may leave the status OK until the next call); class 08 is a connection exception; 57P01-03
  /// are the server shutting down or starting.
  static func lost(_ state: String?, _ status: ConnStatusType) -> Bool {
    status != CONNECTION_OK || state == nil || state!.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state!)
  }

  /// `?` → `$1`, `$2`, ... outside quoted literals and identifiers.
  static func numberPlaceholders(_ sql: String) -> String {
    var out = "", n = 0, quote: Character?
    for ch in sql {
      if let q = quote {
        if ch == q { quote = nil }
        out.append(ch)
      } else if ch == "'" || ch == "\"" {
        quote = ch
        out.append(ch)
      } else if ch == "?" {
        n += 1
        out += "$\(n)"
      } else {
        out.append(ch)
      }
    }
    return out
  }

  /// PostgreSQL's spelling of a double (the same round-trip digits as Swift's; NaN and infinities by name).
  static func text(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
    return "\(d)"
  }

  /// A text-format result value, typed by its column's OID (bool 16, int8 20, int2 21, int4 23, float4 700,
  /// float8 701, numeric 1700, bytea 17; anything else is text).
  static func value(_ s: String, oid: Oid) -> SQLiteValue {
    switch oid {
    case 20, 21, 23: return Int64(s).map { .integer($0) } ?? .text(s)
    case 16: return .integer(s == "t" ? 1 : 0)
    case 700, 701, 1700:
      switch s {
      case "NaN": return .real(.nan)
      case "Infinity": return .real(.infinity)
      case "-Infinity": return .real(-.infinity)
      default: return Double(s).map { .real($0) } ?? .text(s)
      }
    case 17: return .blob(hexBytes(s))
    default: return .text(s)
    }
  }

  /// bytea's text output (`\x` then hex digits).
  static func hexBytes(_ s: String) -> [UInt8] {
    let hex = Array(s.utf8.dropFirst(2))
    var out: [UInt8] = []
    out.reserveCapacity(hex.count / 2)
    func nib(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : (c | 0x20) - 87 }
    var i = 0
    while i + 1 < hex.count { out.append(nib(hex[i]) << 4 | nib(hex[i + 1])); i += 2 }
    return out
  }
}

private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
  let copies = strings.map { strdup($0) }
  defer { copies.forEach { free($0) } }
  return body(copies.map { UnsafePointer($0) } + [nil])
}

private func withPointers<R>(_ buffers: [[CChar]?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
  var ptrs: [UnsafePointer<CChar>?] = []
  var owned: [UnsafeMutablePointer<CChar>] = []
  for b in buffers {
    guard let b else { ptrs.append(nil); continue }
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: max(b.count, 1))
    p.initialize(from: b, count: b.count)
    owned.append(p)
    ptrs.append(UnsafePointer(p))
  }
  defer { owned.forEach { $0.deallocate() } }
  return body(ptrs)
}
