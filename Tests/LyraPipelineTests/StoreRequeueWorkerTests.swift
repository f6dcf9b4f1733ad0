import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// `requeueWorker`: the runner saw a worker process exit, so that worker's running
/// trials go back to pending at once (or fail after maxAttempts); other workers' trials
/// are untouched. This is what lets the worker tests run without heartbeat timeouts.
final class StoreRequeueWorkerTests: XCTestCase {
  func testOnlyTheDeadWorkersTrialsAreHandedBack() throws {
    let store = try TrialStore(path: try storeTestDir("requeue-worker") + "/trials.db")
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
