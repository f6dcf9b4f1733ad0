import Foundation
import XCTest
@testable import LyraPipeline

/// A throwaway PostgreSQL cluster for the tests: `initdb` into a temporary folder, `pg_ctl start` listening only
/// on a Unix socket in that folder (no TCP port, nothing shared with other test runs), stopped when the test
/// process exits. One per test process; each test opens its own task (schema) in it.
///
/// As root (CI runs `.ci/run` as root) PostgreSQL refuses to run, so the server runs as the `postgres` user that
/// Debian's package creates (else `nobody`) through `setpriv`; the folder is handed to that user. Tests are
/// skipped, saying why, only when the server binaries are absent (scripts/setup installs them); a server that is
/// present but fails to start fails the test.
final class PostgresTestServer {
  let dir: String
  let bin: String
  let runAs: [String]
  /// `postgresql://lyra@/postgres?host=DIR`: trust authentication on the private socket.
  var url: String { "postgresql://lyra@/postgres?host=\(dir)" }

  /// A fresh task's store URL.
  func storeURL(_ name: String) -> String { url + "&task=\(name)-\(UInt32.random(in: 0...UInt32.max))" }

  nonisolated(unsafe) private static var started: Result<PostgresTestServer, Error>?
  private static let lock = NSLock()

  /// The shared server, started on first use; skips the test when PostgreSQL is not installed.
  static func shared() throws -> PostgresTestServer {
    lock.lock()
    defer { lock.unlock() }
    if started == nil {
      guard let bin = findBinaries() else {
        started = .failure(XCTSkip("PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or PATH: "
                                   + "install Debian's postgresql (scripts/setup) to run the PostgreSQL store tests"))
        return try started!.get()
      }
      started = Result { try PostgresTestServer(bin: bin) }
      if case .success(let s) = started! { current = s; atexit { PostgresTestServer.current?.stop() } }
    }
    return try started!.get()
  }
  nonisolated(unsafe) private static var current: PostgresTestServer?

  static func findBinaries() -> String? {
    var dirs: [String] = []
    if let versions = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
      dirs += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
    }
    dirs += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
    return dirs.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") && FileManager.default.isExecutableFile(atPath: $0 + "/pg_ctl") }
  }

  private init(bin: String) throws {
    self.bin = bin
    dir = "/tmp/lyra-pg-\(UInt64.random(in: 0...UInt64.max))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    if geteuid() == 0 {
      guard let pw = getpwnam("postgres") ?? getpwnam("nobody") else { throw StoreError("running as root and no postgres or nobody user to run PostgreSQL as") }
      guard chown(dir, pw.pointee.pw_uid, pw.pointee.pw_gid) == 0 else { throw StoreError("cannot chown \(dir)") }
      runAs = ["/usr/bin/setpriv", "--reuid=\(pw.pointee.pw_uid)", "--regid=\(pw.pointee.pw_gid)", "--clear-groups", "--"]
    } else {
      runAs = []
    }
    try run(bin + "/initdb", ["-D", dir + "/data", "-U", "lyra", "--auth=trust", "-N", "-E", "UTF8", "--locale=C"])
    try start()
    // atexit does not run when the test process is killed or crashes: a watchdog stops the server then.
    let stop = (runAs + [bin + "/pg_ctl", "-D", dir + "/data", "-m", "immediate", "stop"]).map { "'\($0)'" }.joined(separator: " ")
    try spawn(["/bin/sh", "-c", "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(stop)"], output: "/dev/null", wait: false)
  }

  /// Starts the server (again, after `stop`: the database-restart tests).
  func start() throws {
    let opts = "-k \(dir) -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=200"
    try run(bin + "/pg_ctl", ["-D", dir + "/data", "-o", opts, "-l", dir + "/server.log", "-w", "-t", "60", "start"])
  }

  /// Stops the server: `fast` disconnects every client (what a restart does to workers).
  func stop(mode: String = "immediate") {
    try? run(bin + "/pg_ctl", ["-D", dir + "/data", "-m", mode, "-w", "stop"])
  }

  /// posix_spawn and waitpid rather than Foundation's Process, whose exit monitoring never saw pg_ctl (run
  /// under setpriv) exit here; output goes to a file, as the server pg_ctl leaves running would hold a pipe open.
  private func run(_ exe: String, _ args: [String]) throws {
    try spawn(runAs + [exe] + args, output: dir + "/ctl.out", wait: true)
  }

  private func spawn(_ cmd: [String], output outFile: String, wait: Bool) throws {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv = cmd.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, cmd[0], &actions, nil, argv, environ)
    guard rc == 0 else { throw StoreError("cannot start \(cmd[0]): errno \(rc)") }
    guard wait else { return }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    guard status == 0 else {
      let out = (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? ""
      let log = (try? String(contentsOfFile: dir + "/server.log", encoding: .utf8)) ?? ""
      throw StoreError("\(cmd.joined(separator: " ")) failed (wait status \(status)): \(out)\n\(log.suffix(2000))")
    }
  }
}
