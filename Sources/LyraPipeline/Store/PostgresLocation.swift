import Foundation

/// A PostgreSQL trial store's address: `postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=…][&task=ID]`
/// (`postgres://` too; a Unix-socket directory goes in `?host=/dir`, as libpq reads it).
///
/// `task` is Lyra's own parameter: one database holds many tasks, each in its own PostgreSQL schema
/// (`lyra_task_<ID>`); it is removed before the rest goes to libpq, which refuses parameters it does not know.
///
/// Passwords: a password in the URL (user info or `password=`) is kept only in `conninfo`, which goes to libpq and
/// nowhere else. `redacted` (every message, log, report and the task folder) drops it; `forChild` drops it too and
/// `childEnvironment` carries it in PGPASSWORD, so a worker's command line (`ps`) never shows it. Better still:
/// no password in the URL at all, and PGPASSWORD or ~/.pgpass, which libpq reads itself.
public struct PostgresLocation: Equatable, Sendable {
  /// The URL for libpq: without `task`, with the password if one was given.
  public let conninfo: String
  /// The URL without password and without `task`.
  public let bare: String
  public let password: String?
  public let task: String?

  public static func isPostgres(_ s: String) -> Bool { s.hasPrefix("postgresql://") || s.hasPrefix("postgres://") }

  public init(_ url: String) throws {
    guard PostgresLocation.isPostgres(url) else { throw StoreError("not a PostgreSQL URL (postgresql://USER@HOST/DB): \(Redact.urls(in: url))") }
    let schemeEnd = url.range(of: "://")!.upperBound
    let scheme = String(url[..<schemeEnd])
    var rest = String(url[schemeEnd...])
    var query: [String] = []
    if let q = rest.firstIndex(of: "?") {
      query = rest[rest.index(after: q)...].split(separator: "&").map(String.init)
      rest = String(rest[..<q])
    }
    var authority = rest, path = ""
    if let slash = rest.firstIndex(of: "/") { authority = String(rest[..<slash]); path = String(rest[slash...]) }
    var password: String?
    if let at = authority.lastIndex(of: "@") {
      let user = authority[..<at], host = authority[authority.index(after: at)...]
      if let colon = user.firstIndex(of: ":") {
        password = String(user[user.index(after: colon)...]).removingPercentEncoding
        authority = "\(user[..<colon])@\(host)"
      }
    }
    var task: String?, kept: [String] = []
    for item in query {
      let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
      switch kv.first {
      case "task": task = kv.count > 1 ? kv[1].removingPercentEncoding : ""
      case "password": password = kv.count > 1 ? kv[1].removingPercentEncoding : ""
      default: kept.append(item)
      }
    }
    if let task { try PostgresLocation.checkTask(task) }
    let tail = kept.isEmpty ? "" : "?" + kept.joined(separator: "&")
    bare = scheme + authority + path + tail
    self.password = password
    self.task = task
    if let password {
      let enc = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
      conninfo = bare + (kept.isEmpty ? "?" : "&") + "password=" + enc
    } else {
      conninfo = bare
    }
  }

  /// A task id (TaskNames' rule) short enough for a schema name (PostgreSQL names stop at 63 bytes).
  static func checkTask(_ task: String) throws {
    if let problem = TaskNames.taskProblem(task) { throw StoreError("task=\(task): \(problem)") }
    guard task.count <= 48 else { throw StoreError("task=\(task): a PostgreSQL task id has at most 48 characters") }
  }

  /// The same database, task `id`.
  public func with(task id: String) throws -> PostgresLocation {
    try PostgresLocation(PostgresLocation.add(task: id, to: bare) + (password.map { "&password=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""))
  }

  private static func add(task: String, to url: String) -> String { url + (url.contains("?") ? "&" : "?") + "task=" + task }

  /// What to print: no password; the task when there is one.
  public var redacted: String { task.map { PostgresLocation.add(task: $0, to: bare) } ?? bare }
  /// What a child process gets on its command line (no password; see `childEnvironment`).
  public var forChild: String { redacted }
  /// Environment entries a child process needs besides `forChild`.
  public var childEnvironment: [String: String] { password.map { ["PGPASSWORD": $0] } ?? [:] }
}

/// Removes passwords from any `postgresql://` / `postgres://` URL inside a message (libpq's own error text
/// may repeat what it was given).
public enum Redact {
  public static func urls(in text: String) -> String {
    var out = text
    for scheme in ["postgresql://", "postgres://"] {
      var from = out.startIndex
      while let r = out.range(of: scheme, range: from..<out.endIndex) {
        let end = out[r.upperBound...].firstIndex(where: { $0 == " " || $0 == "\n" || $0 == "\"" || $0 == "'" }) ?? out.endIndex
        let url = String(out[r.lowerBound..<end])
        let clean = (try? PostgresLocation(url).redacted) ?? scheme + "…"
        out.replaceSubrange(r.lowerBound..<end, with: clean)
        from = out.index(r.lowerBound, offsetBy: clean.count, limitedBy: out.endIndex) ?? out.endIndex
      }
    }
    return out.replacingOccurrences(of: #"password=[^\s&'"]*"#, with: "password=…", options: .regularExpression)
  }
}
