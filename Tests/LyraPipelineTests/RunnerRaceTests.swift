import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// The runner's poll reads the untold results, then the counts of busy trials. A worker
/// that finishes a trial between the two reads leaves it neither busy nor told; the
/// algorithm, still waiting for that result, then rightly hands out nothing. The runner
/// once took that for an algorithm fault and stopped the step ("hands out no trial
/// although none is running"), a rare failure of the parallel crash test in CI.
///
/// The interleaving is forced, not waited for: the workers are processes that never
/// claim anything, and `onPoll` (called between the two reads) plays the worker,
/// finishing one pending trial each poll.
final class RunnerRaceTests: XCTestCase {
  func testATrialFinishedBetweenTheUntoldAndTheCountsReadsIsToldNotAnError() throws {
    let dir = try storeTestDir("runner-race")
    let store = try TrialStore(path: dir + "/trials.db")
    let trials = 6
    let algo = try SyntheticSearch.algorithm("random", seed: 3, trials: trials)
    var options = SearchRunner.Options(workers: 2, heartbeatTimeout: 600, pollInterval: 0.001)
    options.workerCommand = ["/bin/sh", "-c", "exec sleep 600"] // idle workers, stopped by the runner
    let runner = try SearchRunner(store: store, step: "s", kind: "test.branin", stepConfig: .null, algorithm: algo, options: options)
    var finishedByHand = 0
    runner.onPoll = {
      guard let rec = try? store.claim(worker: "hand", step: "s") else { return }
      let x1 = rec.trial.config["x1"]!.number!, x2 = rec.trial.config["x2"]!.number!
      let result = TrialResult(["loss": BenchmarkProblem.braninValue(x1, x2)])
      if (try? store.finish(step: "s", trial: rec.trial.id, worker: "hand", result: result)) == true { finishedByHand += 1 }
    }
    XCTAssertEqual(try runner.run(), .finished)
    XCTAssertEqual(finishedByHand, trials)
    let stored = try store.trials(step: "s")
    XCTAssertEqual(stored.count, trials)
    XCTAssertTrue(stored.allSatisfy { $0.status == .completed && $0.told }, "every result reached the algorithm")
    XCTAssertTrue(algo.isDone)
  }
}
