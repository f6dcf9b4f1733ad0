import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// The SQLite store: the shared suite (StoreSuite), then what only a file can get wrong.
final class StoreTests: XCTestCase {
  func testRoundTripAcrossConnections() throws { try StoreSuite.sqlite.roundTripAcrossConnections() }
  func testClaimHeartbeatFinishAndOwnership() throws { try StoreSuite.sqlite.claimHeartbeatFinishAndOwnership() }
  func testRequeueStaleAndRequeueRunning() throws { try StoreSuite.sqlite.requeueStaleAndRequeueRunning() }
  func testTransactionRollsBack() throws { try StoreSuite.sqlite.transactionRollsBack() }
  func testConcurrentClaimsAreExclusive() throws { try StoreSuite.sqlite.concurrentClaimsAreExclusive() }
  func testOnlyTheDeadWorkersTrialsAreHandedBack() throws { try StoreSuite.sqlite.onlyTheDeadWorkersTrialsAreHandedBack() }
  func testLateResultRefusedAndLogged() throws { try StoreSuite.sqlite.lateResultRefusedAndLogged() }

  func testBadFilesAreRefusedByName() throws {
    let dir = try storeTestDir("store")
    let garbage = dir + "/garbage.db"
    try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: garbage))
    XCTAssertThrowsError(try TrialStore(path: garbage)) { e in
      XCTAssertTrue("\(e)".contains(garbage), "\(e)")
      XCTAssertTrue("\(e)".contains("not a Lyra trial store"), "\(e)")
    }
    let foreign = dir + "/foreign.db"
    try SQLiteDatabase(path: foreign).execute("CREATE TABLE photos (id INTEGER)")
    XCTAssertThrowsError(try TrialStore(path: foreign)) { e in
      XCTAssertTrue("\(e)".contains(foreign) && "\(e)".contains("another program"), "\(e)")
    }
    let newer = dir + "/newer.db"
    _ = try TrialStore(path: newer)
    try SQLiteDatabase(path: newer).execute("PRAGMA user_version = 99")
    XCTAssertThrowsError(try TrialStore(path: newer)) { e in
      XCTAssertTrue("\(e)".contains(newer) && "\(e)".contains("newer"), "\(e)")
    }
    XCTAssertThrowsError(try TrialStore(path: dir + "/missing.db", create: false)) { e in
      XCTAssertTrue("\(e)".contains("missing.db"), "\(e)")
    }
    // An empty file is a new store.
    XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/empty.db", contents: Data()))
    XCTAssertNoThrow(try TrialStore(path: dir + "/empty.db"))
  }


  func testWALAndFullSync() throws {
    let store = try TrialStore(path: try storeTestDir("store") + "/trials.db")
    XCTAssertEqual(try store.db.scalar("PRAGMA journal_mode")?.string, "wal")
    XCTAssertEqual(try store.db.scalar("PRAGMA synchronous")?.int, 2, "FULL")
  }

}
