import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

final class StoreTests: XCTestCase {
  func testRoundTripAcrossConnections() throws {
    let path = try storeTestDir("store") + "/trials.db"
    let a = try TrialStore(path: path)
    try a.setMeta("seed", .string("42"))
    try a.setMeta("config", .object(["general": .object(["parallel_search": .bool(true)])]))
    try a.addStep("hpo", kind: "test.branin", config: .object(["sleep_ms": JSON(0)]))
    try a.addStep("hpo", kind: "test.branin", config: .object(["sleep_ms": JSON(0)]))  // same: no-op
    XCTAssertThrowsError(try a.addStep("hpo", kind: "trainer", config: .null))
    let t = Trial(id: 7, config: ["x1": .double(0.1 + 0.2), "x2": .int(3), "act": .string("relu"), "bits": .list([.bool(true), .int(0)])],
                  budget: 2.5, rung: 1, bracket: 0, resumeFrom: 3)
    try a.transaction {
      try a.insert(t, step: "hpo", checkpoint: "/ck/7")
      try a.saveState(step: "hpo", .object(["events": .array([])]))
    }

    let b = try TrialStore(path: path, create: false)
    XCTAssertEqual(try b.meta("seed"), .string("42"))
    XCTAssertEqual(try b.allMeta().count, 2)
    XCTAssertEqual(try b.step("hpo"), StoredStep(name: "hpo", kind: "test.branin", config: .object(["sleep_ms": JSON(0)]), status: "running"))
    XCTAssertEqual(try b.state(step: "hpo"), .object(["events": .array([])]))
    let r = try XCTUnwrap(try b.trial(step: "hpo", id: 7))
    XCTAssertEqual(r.trial, t, "config values keep their types and exact doubles")
    XCTAssertEqual(r.status, .pending)
    XCTAssertEqual(r.checkpoint, "/ck/7")
    XCTAssertNil(try b.trial(step: "hpo", id: 8))
    XCTAssertNil(try b.trial(step: "other", id: 7))
  }

  func testClaimHeartbeatFinishAndOwnership() throws {
    let store = try TrialStore(path: try storeTestDir("store") + "/trials.db")
    try store.addStep("s", kind: "test.branin", config: .null)
    for i in 0..<3 { try store.insert(storeTestTrial(i), step: "s") }
    let c = try XCTUnwrap(try store.claim(worker: "w1", step: "s"))
    XCTAssertEqual(c.trial.id, 0, "oldest first")
    XCTAssertEqual(c.status, .running)
    XCTAssertEqual(c.attempts, 1)
    XCTAssertEqual(c.worker, "w1")
    XCTAssertNil(try store.claim(worker: "w2", step: "other"))
    XCTAssertTrue(try store.heartbeat(step: "s", trial: 0, worker: "w1"))
    XCTAssertFalse(try store.heartbeat(step: "s", trial: 0, worker: "w2"), "not w2's trial")
    let nanResult = TrialResult(["loss": .nan, "acc": 0.5])
    XCTAssertFalse(try store.finish(step: "s", trial: 0, worker: "w2", result: nanResult), "a non-owner's result is refused")
    XCTAssertTrue(try store.finish(step: "s", trial: 0, worker: "w1", result: nanResult))
    XCTAssertFalse(try store.finish(step: "s", trial: 0, worker: "w1", result: nanResult), "finished once")
    let done = try XCTUnwrap(try store.trial(step: "s", id: 0))
    XCTAssertEqual(done.status, .completed)
    XCTAssertTrue(done.result?.metrics["loss"]?.isNaN ?? false, "NaN survives the store")
    XCTAssertEqual(done.result?.metrics["acc"], 0.5)
    XCTAssertEqual(try store.untold(step: "s").map(\.trial.id), [0])
    try store.markTold(step: "s", trial: 0)
    XCTAssertEqual(try store.untold(step: "s").count, 0)
    let counts = try store.counts(step: "s")
    XCTAssertEqual(counts[.completed], 1)
    XCTAssertEqual(counts[.pending], 2)
    XCTAssertEqual(counts[.running], 0)
    _ = try store.claim(worker: "w1")
    XCTAssertTrue(try store.finish(step: "s", trial: 1, worker: "w1", result: .init([:], status: .pruned)))
    XCTAssertEqual(try store.trials(step: "s", status: .pruned).map(\.trial.id), [1])
  }

  func testRequeueStaleAndRequeueRunning() throws {
    let store = try TrialStore(path: try storeTestDir("store") + "/trials.db")
    try store.addStep("s", kind: "test.branin", config: .null)
    for i in 0..<4 { try store.insert(storeTestTrial(i), step: "s", checkpoint: "/ck/\(i)") }
    let later = TrialStore.now() + 60
    // Two rounds of: every trial claimed by a worker that then dies.
    for round in 1...2 {
      for i in 0..<4 { XCTAssertEqual(try store.claim(worker: "dead\(round)")?.trial.id, i, "requeued trials keep their place") }
      XCTAssertEqual(try store.requeueStale(olderThan: 10, maxAttempts: 3).count, 0, "fresh heartbeats are not stale")
      let changed = try store.requeueStale(olderThan: 10, maxAttempts: 3, now: later)
      XCTAssertEqual(changed.map(\.trial.id), [0, 1, 2, 3])
      XCTAssertTrue(changed.allSatisfy { $0.status == .pending && $0.attempts == round && $0.worker == nil && $0.checkpoint != nil })
    }
    // Third death of trial 0 fails it; trial 1 (third attempt) under a limit of 4 goes back.
    XCTAssertEqual(try store.claim(worker: "dead3")?.attempts, 3)
    _ = try store.requeueStale(olderThan: 10, maxAttempts: 3, now: later)
    let failed = try XCTUnwrap(try store.trial(step: "s", id: 0))
    XCTAssertEqual(failed.status, .failed)
    XCTAssertEqual(failed.result?.status, .failed)
    XCTAssertFalse(failed.told, "the runner still has to tell the algorithm")
    XCTAssertTrue(failed.error?.contains("stopped heartbeating on attempt 3 of 3") ?? false, failed.error ?? "nil")
    XCTAssertEqual(try store.untold(step: "s").map(\.trial.id), [0])
    XCTAssertEqual(try store.claim(worker: "dead4")?.trial.id, 1)
    _ = try store.requeueStale(olderThan: 10, maxAttempts: 4, now: later)
    XCTAssertEqual(try store.trial(step: "s", id: 1)?.status, .pending)
    XCTAssertEqual(try store.trial(step: "s", id: 1)?.checkpoint, "/ck/1", "checkpoint kept for the next attempt")
    // Resume requeues running trials without counting an attempt.
    let c = try XCTUnwrap(try store.claim(worker: "alive", step: "s"))
    XCTAssertEqual(c.attempts, 4)
    XCTAssertEqual(try store.requeueRunning(step: "s"), [1])
    XCTAssertEqual(try store.trial(step: "s", id: 1)?.attempts, 3)
    XCTAssertEqual(try store.trial(step: "s", id: 1)?.status, .pending)
  }

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

  func testTransactionRollsBack() throws {
    let store = try TrialStore(path: try storeTestDir("store") + "/trials.db")
    try store.addStep("s", kind: "k", config: .null)
    struct Boom: Error {}
    XCTAssertThrowsError(try store.transaction {
      try store.insert(storeTestTrial(0), step: "s")
      try store.saveState(step: "s", .string("x"))
      throw Boom()
    })
    XCTAssertEqual(try store.trials(step: "s").count, 0)
    XCTAssertNil(try store.state(step: "s"))
  }
}
