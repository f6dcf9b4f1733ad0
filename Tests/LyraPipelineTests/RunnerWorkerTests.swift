import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// Parallel search with `lyra worker` processes, including one SIGKILLed mid-trial.
///
/// No timing decides anything here: the worker dies at a fixed trial and attempt (the
/// `crash` setting of test.branin), and the runner hands its trial out again because it
/// saw the process exit, not because a heartbeat went stale — the heartbeat timeout is
/// set far beyond any test's length, so a slow machine cannot requeue a live worker's
/// trial. Which worker runs which trial is the scheduler's business and not asserted.
final class RunnerWorkerTests: XCTestCase {
  func options() -> SearchRunner.Options {
    .init(workers: 3, heartbeatInterval: 0.2, heartbeatTimeout: 1e6, maxAttempts: 3, pollInterval: 0.02,
          workerCommand: [storeTestLyraBinary(), "worker"])
  }

  func testWorkerKilledMidTrialLosesNothing() throws { try workerKilledMidTrialLosesNothing(.sqlite) }

  /// The same on PostgreSQL: the killed worker's trial is handed out again through the server.
  func testWorkerKilledMidTrialLosesNothingOnPostgres() throws { try workerKilledMidTrialLosesNothing(try .postgres()) }

  func workerKilledMidTrialLosesNothing(_ backend: StoreSuite) throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: storeTestLyraBinary()), "lyra binary not built")
    let dir = try storeTestDir("workers")
    let log = dir + "/exec.log"
    let store = try TrialStore(path: backend.isSQLite ? dir + "/trials.db" : try backend.fresh("workers"))
    let config: JSON = .object(["sleep_ms": JSON(20), "log": .string(log), "crash": .object(["trial": JSON(3), "attempt": JSON(1)])])
    let runner = try SearchRunner(store: store, step: "s", kind: "test.branin", stepConfig: config,
                                  algorithm: try SyntheticSearch.algorithm("random", seed: 4, trials: 12), options: options())
    XCTAssertEqual(try runner.run(), .finished)
    let trials = try store.trials(step: "s")
    XCTAssertEqual(trials.count, 12)
    for r in trials {
      XCTAssertEqual(r.status, .completed, "trial \(r.trial.id): \(r.error ?? "")")
      XCTAssertTrue(r.told)
      XCTAssertEqual(r.result?.metrics["loss"], BenchmarkProblem.braninValue(r.trial.config["x1"]!.number!, r.trial.config["x2"]!.number!))
    }
    let killed = try XCTUnwrap(try store.trial(step: "s", id: 3))
    XCTAssertEqual(killed.attempts, 2, "the killed worker's trial was handed out again")
    let runs = executionLog(log)
    XCTAssertEqual(runs.filter { $0.trial == 3 }.map(\.attempt), [1, 2])
    XCTAssertEqual(runs.count, 13, "every other trial ran exactly once")
    XCTAssertEqual(runner.algorithm.state()["trials"]?.array?.count, 12)
    XCTAssertTrue(runner.algorithm.isDone)
  }

  func testTrialThatAlwaysKillsItsWorkerFailsAfterMaxAttempts() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: storeTestLyraBinary()), "lyra binary not built")
    let dir = try storeTestDir("workers-max")
    let store = try TrialStore(path: dir + "/trials.db")
    var opts = options()
    opts.workers = 2
    opts.maxAttempts = 2
    let config: JSON = .object(["sleep_ms": JSON(10), "crash": .object(["trial": JSON(1)])])
    let runner = try SearchRunner(store: store, step: "s", kind: "test.branin", stepConfig: config,
                                  algorithm: try SyntheticSearch.algorithm("random", seed: 4, trials: 5), options: opts)
    XCTAssertEqual(try runner.run(), .finished)
    let r = try XCTUnwrap(try store.trial(step: "s", id: 1))
    XCTAssertEqual(r.status, .failed)
    XCTAssertEqual(r.attempts, 2)
    XCTAssertEqual(try store.counts(step: "s")[.completed], 4)
    XCTAssertEqual(runner.algorithm.state()["trials"]?.array?.count, 5)
  }
}
