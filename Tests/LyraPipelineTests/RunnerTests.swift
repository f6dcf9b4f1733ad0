import CRuntime
import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// The search runner in-process (workers = 1): results, state, interrupt and resume.
final class RunnerTests: XCTestCase {
  override func tearDown() { lyra_interrupt_clear() }

  func testRunsToTheEndAndResumeRerunsNothing() throws {
    let dir = try storeTestDir("runner")
    let log = dir + "/exec.log"
    let store = try TrialStore(path: dir + "/trials.db")
    let algo = try SyntheticSearch.algorithm("random", seed: 5, trials: 12)
    let runner = try SearchRunner(store: store, step: "s", kind: "test.branin", stepConfig: .object(["log": .string(log)]), algorithm: algo)
    XCTAssertEqual(try runner.run(), .finished)
    let trials = try store.trials(step: "s")
    XCTAssertEqual(trials.count, 12)
    for r in trials {
      XCTAssertEqual(r.status, .completed)
      XCTAssertTrue(r.told)
      XCTAssertEqual(r.attempts, 1)
      let want = BenchmarkProblem.braninValue(r.trial.config["x1"]!.number!, r.trial.config["x2"]!.number!)
      XCTAssertEqual(r.result?.metrics["loss"], want)
      XCTAssertEqual(r.checkpoint, store.checkpointDir(step: "s", trial: r.trial.id))
    }
    XCTAssertEqual(try store.step("s")?.status, "done")
    XCTAssertEqual(try store.state(step: "s"), algo.state(), "the stored state is the algorithm's last state")
    XCTAssertEqual(executionLog(log).count, 12)
    XCTAssertThrowsError(try SearchRunner(store: store, step: "s", kind: "test.branin", stepConfig: .null,
                                          algorithm: try SyntheticSearch.algorithm("random", seed: 5, trials: 12)))

    let again = try SearchRunner.resume(store: store, step: "s", algorithm: try SyntheticSearch.algorithm("random", seed: 5, trials: 12))
    XCTAssertTrue(again.algorithm.isDone)
    XCTAssertEqual(try again.run(), .finished)
    XCTAssertEqual(executionLog(log).count, 12, "a finished search runs no trial again")
    XCTAssertEqual(again.algorithm.best()?.trial.id, algo.best()?.trial.id)
  }

  /// Ctrl-C mid-trial, then resume: the same finished trials as a run never interrupted.
  func testInterruptAndResumeMatchUninterrupted() throws {
    let refStore = try TrialStore(path: try storeTestDir("runner-ref") + "/trials.db")
    try SearchRunner(store: refStore, step: "s", kind: "test.branin", stepConfig: .null,
                     algorithm: try SyntheticSearch.algorithm("tpe", seed: 9, trials: 20)).run()

    let store = try TrialStore(path: try storeTestDir("runner-int") + "/trials.db")
    let branin = try TrialExecutors.make(kind: "test.branin", config: .null)
    var calls = 0, fired = false
    let interrupting: TrialExecutor = { spec in
      calls += 1
      if spec.trial == 11 && !fired { fired = true; lyra_interrupt_request() }
      return try branin(spec)
    }
    let first = try SearchRunner(store: store, step: "s", kind: "test.branin", stepConfig: .null,
                                 algorithm: try SyntheticSearch.algorithm("tpe", seed: 9, trials: 20), executor: interrupting)
    XCTAssertEqual(try first.run(), .interrupted)
    XCTAssertEqual(try store.trial(step: "s", id: 11)?.status, .pending, "the interrupted trial goes back to pending")
    XCTAssertEqual(try store.counts(step: "s")[.completed], 11)
    lyra_interrupt_clear()

    XCTAssertThrowsError(try SearchRunner.resume(store: store, step: "s", algorithm: try SyntheticSearch.algorithm("tpe", seed: 10, trials: 20))) { e in
      XCTAssertTrue("\(e)".contains("cannot restore"), "a different seed is refused: \(e)")
    }
    let resumed = try SearchRunner.resume(store: store, step: "s", algorithm: try SyntheticSearch.algorithm("tpe", seed: 9, trials: 20),
                                          executor: interrupting)
    XCTAssertEqual(try resumed.run(), .finished)
    XCTAssertEqual(calls, 21, "20 trials plus the one interrupted")
    XCTAssertEqual(try finishedTrials(store, step: "s"), try finishedTrials(refStore, step: "s"))
    XCTAssertEqual(try store.trial(step: "s", id: 11)?.attempts, 1, "an interrupt is not a failed attempt")
  }

  /// What a runner does before it dies mid-trial: a new step, trial 0 handed out (with the state), then claimed by
  /// `worker`.
  private func startedStepWithOneClaimedTrial(_ name: String, seed: UInt64, trials: Int, checkpoint: String,
                                              worker: String) throws -> (TrialStore, Trial) {
    let store = try TrialStore(path: try storeTestDir(name) + "/trials.db")
    let algo = try SyntheticSearch.algorithm("random", seed: seed, trials: trials)
    _ = try SearchRunner(store: store, step: "s", kind: "test.branin", stepConfig: .null, algorithm: algo)
    let t = try XCTUnwrap(algo.ask())
    try store.transaction {
      try store.insert(t, step: "s", checkpoint: checkpoint)
      try store.saveState(step: "s", algo.state())
    }
    _ = try store.claim(worker: worker, step: "s")
    return (store, t)
  }

  /// A trial left running by a dead runner is requeued on resume and keeps its
  /// checkpoint directory; the algorithm is not asked for it again.
  func testResumeRequeuesRunningTrial() throws {
    let (store, t) = try startedStepWithOneClaimedTrial("runner-dead", seed: 2, trials: 6, checkpoint: "/ck/custom",
                                                         worker: "runner:deadhost:1")  // a dead coordinator's own trial
    var seen: [TrialSpec] = []
    let runner = try SearchRunner.resume(store: store, step: "s", algorithm: try SyntheticSearch.algorithm("random", seed: 2, trials: 6),
                                         executor: { seen.append($0); return TrialResult(["loss": Double($0.trial)]) })
    XCTAssertEqual(try runner.run(), .finished)
    XCTAssertEqual(seen.map(\.trial), [0, 1, 2, 3, 4, 5], "trial 0 run again, not asked again")
    XCTAssertEqual(seen[0].checkpointDir, "/ck/custom")
    XCTAssertEqual(seen[0].config, t.config)
    XCTAssertEqual(try store.trials(step: "s").count, 6)
  }

  /// A coordinator that runs its trials itself (no worker pool) still hands out again a trial whose worker,
  /// started elsewhere, died: resume leaves that trial to its lease (the worker may be alive), and the run loop
  /// requeues it once the lease expired. (Before, only a coordinator with a pool did, and this run never ended.)
  func testSequentialCoordinatorRequeuesAnExpiredLeaseOfAWorkerElsewhere() throws {
    // A remote worker claimed trial 0, then was SIGKILLed: no heartbeat.
    let (store, _) = try startedStepWithOneClaimedTrial("runner-lease", seed: 3, trials: 4, checkpoint: "/ck/0", worker: "otherhost:77:1")
    XCTAssertEqual(try store.requeueRunning(step: "s", ownerPrefix: "runner:"), [], "not the coordinator's to take back")
    var seen: [Int] = []
    let runner = try SearchRunner.resume(store: store, step: "s", algorithm: try SyntheticSearch.algorithm("random", seed: 3, trials: 4),
                                         executor: { seen.append($0.trial); return TrialResult(["loss": Double($0.trial)]) },
                                         options: SearchRunner.Options(workers: 1, heartbeatTimeout: 0.2, pollInterval: 0.01))
    XCTAssertEqual(try runner.run(), .finished)
    XCTAssertEqual(seen, [0, 1, 2, 3], "trial 0 ran here once its lease expired")
    XCTAssertEqual(try store.trial(step: "s", id: 0)?.attempts, 2, "the lost attempt is counted")
  }

  func testExecutorErrorsAreFailedTrials() throws {
    let store = try TrialStore(path: try storeTestDir("runner-fail") + "/trials.db")
    struct Bad: Error, CustomStringConvertible { var description: String { "out of memory" } }
    let runner = try SearchRunner(store: store, step: "s", kind: "x", stepConfig: .null,
                                  algorithm: try SyntheticSearch.algorithm("random", seed: 1, trials: 4),
                                  executor: { spec in if spec.trial == 2 { throw Bad() }; return TrialResult(["loss": 1]) })
    XCTAssertEqual(try runner.run(), .finished)
    let r = try XCTUnwrap(try store.trial(step: "s", id: 2))
    XCTAssertEqual(r.status, .failed)
    XCTAssertEqual(r.error, "out of memory")
    XCTAssertEqual(try store.counts(step: "s")[.completed], 3)
  }
}
