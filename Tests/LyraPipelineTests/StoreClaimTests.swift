import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// Concurrent claims on separate connections (as separate processes would have) never
/// hand one trial out twice and never lose one.
///
/// What is asserted is only what must hold whatever the scheduler does: exclusivity and
/// completeness. How the claims spread over the threads is the scheduler's business (one
/// thread may legitimately take all 300 before the others wake up), so it is not asserted;
/// a start barrier makes every thread begin claiming with its connection already open.
final class StoreClaimTests: XCTestCase {
  func testConcurrentClaimsAreExclusive() throws {
    let path = try storeTestDir("claim") + "/trials.db"
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
