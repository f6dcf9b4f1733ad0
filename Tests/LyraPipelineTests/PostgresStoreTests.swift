import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// The PostgreSQL store against a real server the tests start (PostgresTestServer): the shared suite
/// (StoreSuite), then what only a server can get wrong: migrations, foreign schemas, passwords, restarts.
final class PostgresStoreTests: XCTestCase {
  func testRoundTripAcrossConnections() throws { try StoreSuite.postgres().roundTripAcrossConnections() }
  func testClaimHeartbeatFinishAndOwnership() throws { try StoreSuite.postgres().claimHeartbeatFinishAndOwnership() }
  func testRequeueStaleAndRequeueRunning() throws { try StoreSuite.postgres().requeueStaleAndRequeueRunning() }
  func testTransactionRollsBack() throws { try StoreSuite.postgres().transactionRollsBack() }
  func testConcurrentClaimsAreExclusive() throws { try StoreSuite.postgres().concurrentClaimsAreExclusive() }
  func testOnlyTheDeadWorkersTrialsAreHandedBack() throws { try StoreSuite.postgres().onlyTheDeadWorkersTrialsAreHandedBack() }
  func testLateResultRefusedAndLogged() throws { try StoreSuite.postgres().lateResultRefusedAndLogged() }

  /// A task created at schema version 1 is migrated to the current version when opened; a newer version, a schema
  /// of someone else's tables and a missing task are refused by name.
  func testMigrationsAndRefusals() throws {
    let server = try PostgresTestServer.shared()
    let loc = try PostgresLocation(server.storeURL("migrate"))
    let task = try XCTUnwrap(loc.task)
    let old = try PostgresConnection(loc)
    try PostgresStoreSchema.open(old, task: task, create: true, upTo: 1)
    XCTAssertEqual(try old.query("SELECT version FROM schema_version ORDER BY version").compactMap { $0[0].int }, [1])
    XCTAssertEqual(try old.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = ? AND tablename = 'artifacts'",
                                  [.text("lyra_task_" + task)])?.int, 0)
    let store = try TrialStore(path: loc.redacted)
    XCTAssertEqual(try store.db.query("SELECT version FROM schema_version ORDER BY version").compactMap { $0[0].int },
                   Array(1...PostgresStoreSchema.version))
    XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM artifacts")?.int, 0, "migration 2 added the artifacts table")

    try store.db.query("INSERT INTO schema_version(version, applied_at) VALUES (99, 0)")
    XCTAssertThrowsError(try TrialStore(path: loc.redacted)) { e in
      XCTAssertTrue("\(e)".contains("newer") && "\(e)".contains("upgrade lyra"), "\(e)")
    }
    let foreign = try PostgresLocation(server.storeURL("foreign"))
    let conn = try PostgresConnection(foreign)
    try conn.execute("CREATE SCHEMA \"lyra_task_\(foreign.task!)\"; CREATE TABLE \"lyra_task_\(foreign.task!)\".photos (id int)")
    XCTAssertThrowsError(try TrialStore(path: foreign.redacted)) { e in
      XCTAssertTrue("\(e)".contains("not a Lyra trial store"), "\(e)")
    }
    XCTAssertThrowsError(try TrialStore(path: server.storeURL("missing"), create: false)) { e in
      XCTAssertTrue("\(e)".contains("no task"), "\(e)")
    }
    XCTAssertThrowsError(try TrialStore(path: server.url)) { e in XCTAssertTrue("\(e)".contains("name the task"), "\(e)") }
    XCTAssertTrue(try TrialStore.postgresTasks(server.url).contains(task))
  }

  /// The database restarted between a claim and its result: the store reconnects (with backoff) and the result
  /// is written once; the next claim works on the new connection.
  func testReconnectsAfterServerRestart() throws {
    let server = try PostgresTestServer.shared()
    let store = try TrialStore(path: server.storeURL("restart"))
    try store.addStep("s", kind: "test.branin", config: .null)
    try store.transaction { for i in 0..<2 { try store.insert(storeTestTrial(i), step: "s") } }
    XCTAssertEqual(try store.claim(worker: "w")?.trial.id, 0)
    server.stop(mode: "fast")
    try server.start()
    XCTAssertTrue(try store.finish(step: "s", trial: 0, worker: "w", result: TrialResult(["loss": 1])))
    XCTAssertEqual(try store.claim(worker: "w")?.trial.id, 1)
    server.stop(mode: "immediate")
    try server.start()
    try store.transaction {
      XCTAssertTrue(try store.finish(step: "s", trial: 1, worker: "w", result: TrialResult(["loss": 2])))
      try store.saveState(step: "s", .string("after two restarts"))
    }
    XCTAssertEqual((store.db as? PostgresConnection)?.reconnects, 2)
    XCTAssertEqual(try store.counts(step: "s")[.completed], 2)
    XCTAssertEqual(try store.state(step: "s"), .string("after two restarts"))
  }

  /// A password given in the URL reaches libpq only: not the store's path, not a child's command line, not an
  /// error message.
  func testPasswordsNeverPrinted() throws {
    let url = "postgresql://alice:s3cr%40t@db.example:5433/lyra?sslmode=require&task=run-1"
    let loc = try PostgresLocation(url)
    XCTAssertEqual(loc.password, "s3cr@t")
    XCTAssertEqual(loc.redacted, "postgresql://alice@db.example:5433/lyra?sslmode=require&task=run-1")
    XCTAssertEqual(loc.forChild, loc.redacted)
    XCTAssertEqual(loc.childEnvironment, ["PGPASSWORD": "s3cr@t"])
    XCTAssertTrue(loc.conninfo.contains("password=s3cr%40t") && !loc.conninfo.contains("task="), loc.conninfo)
    let q = try PostgresLocation("postgres://bob@h/db?password=hunter2&task=t")
    XCTAssertEqual(q.redacted, "postgres://bob@h/db?task=t")
    XCTAssertFalse(Redact.urls(in: "cannot reach \(url) now").contains("s3cr"))
    XCTAssertFalse(Redact.urls(in: "x password=hunter2 y").contains("hunter2"))
    XCTAssertThrowsError(try PostgresLocation("postgresql://u@h/db?task=../x"))
    // general.store is recorded in the task: a password there is a config error; so is a foreign scheme or a task.
    XCTAssertNil(StoreLocation.problem(.string("sqlite")))
    XCTAssertNil(StoreLocation.problem(.string("postgresql://lyra@db/lyra?sslmode=require")))
    XCTAssertTrue(StoreLocation.problem(.string("postgresql://lyra:pw@db/lyra"))?.contains("PGPASSWORD") ?? false)
    XCTAssertTrue(StoreLocation.problem(.string("mysql://db/x"))?.contains("not a store") ?? false)
    XCTAssertTrue(StoreLocation.problem(.string("postgresql://lyra@db/lyra?task=x"))?.contains("names a task") ?? false)
    XCTAssertEqual(try StoreLocation.postgres(.string("postgresql://lyra@db/lyra"), task: "t1"), "postgresql://lyra@db/lyra?task=t1")
    XCTAssertNil(try StoreLocation.postgres(nil, task: "t1"))
    // A server that is not there: the message names the place, never the password.
    let dir = try storeTestDir("pg-none")
    // (A server not there is waited for, as one restarting would be: here for 0.3 s.)
    XCTAssertThrowsError(try TrialStore(postgres: PostgresLocation("postgresql://alice:topsecret@/db?host=\(dir)&task=t"), reconnectFor: 0.3)) { e in
      XCTAssertFalse("\(e)".contains("topsecret"), "\(e)")
      XCTAssertTrue("\(e)".contains("cannot connect"), "\(e)")
    }
  }
}
