import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// The trial store's semantics, written once and run against both backends (StoreTests: SQLite files;
/// PostgresStoreTests: a PostgreSQL server the tests start). Each backend's test class calls every method here, so
/// a difference between the backends fails a test instead of surfacing on a cluster.
///
/// Concurrent claims: what is asserted is only what must hold whatever the scheduler does (exclusivity and
/// completeness); how claims spread over threads is not asserted. `requeueWorker`: the runner saw a worker process
/// exit, so that worker's running trials go back at once (or fail after maxAttempts); others' trials are untouched.
struct StoreSuite {
  /// A new, empty store's location (a file path or a PostgreSQL URL with a fresh task).
  let fresh: (String) throws -> String

  var isSQLite = true

  static let sqlite = StoreSuite(fresh: { try storeTestDir($0) + "/trials.db" })
  static func postgres() throws -> StoreSuite {
    let server = try PostgresTestServer.shared()
    return StoreSuite(fresh: { server.storeURL($0) }, isSQLite: false)
  }

  func roundTripAcrossConnections() throws {
    let path = try fresh("store")
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


  func claimHeartbeatFinishAndOwnership() throws {
    let store = try TrialStore(path: try fresh("store"))
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


  func requeueStaleAndRequeueRunning() throws {
    let store = try TrialStore(path: try fresh("store"))
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
    XCTAssertEqual(try store.requeueRunning(step: "s", ownerPrefix: "runner:"), [], "a worker started elsewhere keeps its trial")
    XCTAssertEqual(try store.requeueRunning(step: "s", ownerPrefix: "al"), [1])
    _ = try store.claim(worker: "alive", step: "s")
    XCTAssertEqual(try store.requeueRunning(step: "s"), [1])
    XCTAssertEqual(try store.trial(step: "s", id: 1)?.attempts, 3)
    XCTAssertEqual(try store.trial(step: "s", id: 1)?.status, .pending)
  }


  func transactionRollsBack() throws {
    let store = try TrialStore(path: try fresh("store"))
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

  func concurrentClaimsAreExclusive() throws {
    let path = try fresh("claim")
    let store = try TrialStore(path: path)
    try store.addStep("s", kind: "test.branin", config: .null)
    let n = 300
    try store.transaction { for i in 0..<n { try store.insert(storeTestTrial(i), step: "s") } }
    let threads = 4
    let box = ClaimBox()
    let group = DispatchGroup()
    let ready = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0)
    for w in 0..<threads {
      group.enter()
      Thread {
        defer { group.leave() }
        do {
          let mine: TrialStore
          do { mine = try TrialStore(path: path) } catch {
            ready.signal()
            throw error
          }
          ready.signal()
          go.wait()
          var got: [Int] = []
          while let r = try mine.claim(worker: "w\(w)") {
            got.append(r.trial.id)
            XCTAssertTrue(try mine.finish(step: "s", trial: r.trial.id, worker: "w\(w)", result: TrialResult(["loss": 1])))
          }
          box.add(w, got)
        } catch {
          box.fail("\(error)")
        }
      }.start()
    }
    for _ in 0..<threads { ready.wait() }
    for _ in 0..<threads { go.signal() }
    group.wait()
    let (claimed, errors) = box.snapshot()
    XCTAssertEqual(errors, [])
    let all = claimed.values.flatMap { $0 }
    XCTAssertEqual(all.count, n, "every trial claimed exactly once")
    XCTAssertEqual(Set(all).count, n, "no trial claimed twice")
    XCTAssertEqual(try store.counts(step: "s")[.completed], n)
    XCTAssertTrue(try store.trials(step: "s").allSatisfy { $0.attempts == 1 })
  }

  func onlyTheDeadWorkersTrialsAreHandedBack() throws {
    let store = try TrialStore(path: try fresh("requeue-worker"))
    try store.addStep("s", kind: "test.branin", config: .null)
    try store.transaction { for i in 0..<3 { try store.insert(storeTestTrial(i), step: "s") } }
    XCTAssertEqual(try store.claim(worker: "dead", step: "s")?.trial.id, 0)
    XCTAssertEqual(try store.claim(worker: "alive", step: "s")?.trial.id, 1)

    let changed = try store.requeueWorker("dead", maxAttempts: 2, step: "s")
    XCTAssertEqual(changed.map(\.trial.id), [0])
    XCTAssertEqual(try store.trial(step: "s", id: 0)?.status, .pending)
    XCTAssertEqual(try store.trial(step: "s", id: 0)?.error, "requeued: worker dead exited on attempt 1")
    XCTAssertEqual(try store.trial(step: "s", id: 1)?.status, .running, "a live worker's trial stays its own")
    XCTAssertEqual(try store.trial(step: "s", id: 2)?.status, .pending)

    // Claimed again by another worker that dies too: the second attempt is the last.
    XCTAssertEqual(try store.claim(worker: "dead2", step: "s")?.trial.id, 0)
    XCTAssertEqual(try store.requeueWorker("dead2", maxAttempts: 2).map(\.status), [.failed])
    XCTAssertEqual(try store.requeueWorker("nobody"), [])
  }
}

/// What the claiming threads found, behind a lock.
final class ClaimBox: @unchecked Sendable {
  private let lock = NSLock()
  private var claimed: [Int: [Int]] = [:]
  private var errors: [String] = []
  func add(_ w: Int, _ ids: [Int]) { lock.lock(); claimed[w] = ids; lock.unlock() }
  func fail(_ e: String) { lock.lock(); errors.append(e); lock.unlock() }
  func snapshot() -> ([Int: [Int]], [String]) { lock.lock(); defer { lock.unlock() }; return (claimed, errors) }
}

extension StoreSuite {
  /// Exactly-once completion through the worker loop: while a worker runs a trial its lease expires, the trial is
  /// handed to another worker, and the first one's late result is refused, logged, and changes nothing.
  func lateResultRefusedAndLogged() throws {
    let path = try fresh("late")
    let store = try TrialStore(path: path)
    try store.addStep("s", kind: "test.branin", config: .null)
    try store.insert(storeTestTrial(0), step: "s")
    var worker = TrialWorker(storePath: path, id: "slow", heartbeatInterval: 1e6)
    var said: [String] = []
    worker.log = { said.append($0) }
    let rec = try XCTUnwrap(try store.claim(worker: "slow"))
    let written = try worker.runOne(rec, store: store) { _ in
      // The lease runs out meanwhile: requeued as stale, claimed and finished by another worker.
      _ = try store.requeueStale(olderThan: 10, now: TrialStore.now() + 60)
      XCTAssertEqual(try store.claim(worker: "fast")?.trial.id, 0)
      XCTAssertTrue(try store.finish(step: "s", trial: 0, worker: "fast", result: TrialResult(["loss": 2])))
      return TrialResult(["loss": 1])
    }
    XCTAssertFalse(written)
    XCTAssertEqual(said.count, 1)
    XCTAssertTrue(said.first?.contains("trial 0 of step s: result refused: its lease expired") ?? false, "\(said)")
    let r = try XCTUnwrap(try store.trial(step: "s", id: 0))
    XCTAssertEqual(r.worker, "fast")
    XCTAssertEqual(r.result?.metrics["loss"], 2, "the new owner's result stands")
    XCTAssertEqual(r.attempts, 2)
  }
}
